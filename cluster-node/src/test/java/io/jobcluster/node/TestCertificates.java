package io.jobcluster.node;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway CA and node key stores, made by {@code deploy/tls/make-test-certs.sh} as an operator
 * would make them (see docs/SECURITY.md), in a directory of the test's.
 */
public record TestCertificates(Path dir) {
  private static final Path SCRIPT = Path.of("../deploy/tls/make-test-certs.sh");

  /** Runs the script for {@code names}; fails with its output when it fails. */
  public static TestCertificates make(Path dir, String... names) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toAbsolutePath().normalize().toString(), dir.toString()));
    command.addAll(List.of(names));
    Process script = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!script.waitFor(2, TimeUnit.MINUTES) || script.exitValue() != 0) {
      throw new IllegalStateException("make-test-certs.sh failed:\n" + output);
    }
    return new TestCertificates(dir);
  }

  public Path keyStore(String name) {
    return dir.resolve(name + ".p12");
  }

  public Path passwordFile(String name) {
    return dir.resolve(name + ".password");
  }

  /** A client context that trusts this CA and nothing else. */
  public SSLContext trustingClient() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore("truststore"))) {
      trust.load(in, Files.readString(passwordFile("truststore")).strip().toCharArray());
    }
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers.getTrustManagers(), null);
    return context;
  }
}
