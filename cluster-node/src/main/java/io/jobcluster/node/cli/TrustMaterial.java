package io.jobcluster.node.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context for an https server whose certificate a CA of the operator's signed (not one the JDK trusts). */
final class TrustMaterial {
  private TrustMaterial() {}

  /**
   * Trusts the certificates of {@code trustStore} (PKCS12 or JKS, password from {@code passwordFile} if given)
   * and of {@code caCert} (PEM or DER, one or more); host names are still verified.
   */
  static SSLContext sslContext(Path trustStore, Path passwordFile, Path caCert) {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      if (trustStore != null) {
        KeyStore store = KeyStore.getInstance(trustStore.toFile(), password(passwordFile));
        for (String alias : java.util.Collections.list(store.aliases())) {
          trusted.setCertificateEntry("store-" + alias, store.getCertificate(alias));
        }
      }
      if (caCert != null) {
        int index = 0;
        for (Certificate certificate : certificates(caCert)) {
          trusted.setCertificateEntry("ca-" + index++, certificate);
        }
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use the trust material (" + (trustStore != null ? trustStore : caCert) + "): " + e.getMessage(), e);
    }
  }

  private static char[] password(Path file) throws IOException {
    return file == null ? null : Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
  }

  private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new GeneralSecurityException("no certificate in " + file);
      }
      return certificates;
    }
  }
}
