package io.jobcluster.multijvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A cluster's CA and its nodes' key stores, made by {@code deploy/tls/make-test-certs.sh} as an
 * operator would (docs/SECURITY.md), and the environment that gives a node its cluster TLS.
 */
public record ClusterCertificates(Path dir) {
  private static final Path SCRIPT = Path.of("../deploy/tls/make-test-certs.sh");

  /** Makes a new CA in {@code dir} (or reuses the one there) and a key store for each name. */
  public static ClusterCertificates make(Path dir, String... names) {
    String[] command = Stream.concat(Stream.of("bash", SCRIPT.toAbsolutePath().normalize().toString(), dir.toString()), Stream.of(names))
        .toArray(String[]::new);
    try {
      Process script = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = script.getInputStream().readAllBytes();
      if (!script.waitFor(2, TimeUnit.MINUTES) || script.exitValue() != 0) {
        throw new IllegalStateException("make-test-certs.sh failed:\n" + new String(output, StandardCharsets.UTF_8));
      }
      return new ClusterCertificates(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + SCRIPT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted making certificates", e);
    }
  }

  /** Cluster TLS with {@code node}'s key store from this CA and {@code trusted}'s trust store (usually this one's). */
  public Map<String, String> env(String node, ClusterCertificates trusted) {
    return Map.of(
        NodeEnv.CLUSTER_TLS_KEY_STORE, dir.resolve(node + ".p12").toString(),
        NodeEnv.CLUSTER_TLS_KEY_STORE_PASSWORD_FILE, dir.resolve(node + ".password").toString(),
        NodeEnv.CLUSTER_TLS_TRUST_STORE, trusted.dir.resolve("truststore.p12").toString(),
        NodeEnv.CLUSTER_TLS_TRUST_STORE_PASSWORD_FILE, trusted.dir.resolve("truststore.password").toString());
  }

  /** Cluster TLS with {@code node}'s key store and this CA's trust store. */
  public Map<String, String> env(String node) {
    return env(node, this);
  }
}
