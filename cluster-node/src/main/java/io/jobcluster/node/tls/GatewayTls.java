package io.jobcluster.node.tls;

import com.typesafe.config.Config;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;

/** HTTPS for the API gateway, from {@code jobcluster.http.tls}: the server's key store (certificate and key). */
public record GatewayTls(KeyStoreFile keyStore) {
  public static final String PATH = "jobcluster.http.tls";

  /** The listener rule of the API gateway. */
  public static final ListenerRule RULE = new ListenerRule("the HTTP API", "JOBCLUSTER_HTTP_HOST, jobcluster.http.host",
      "JOBCLUSTER_HTTP_TLS_KEY_STORE with its password file (" + PATH + ")", "JOBCLUSTER_HTTP_INSECURE=true (jobcluster.http.insecure)");

  /** Empty when no key store is set (plain HTTP). */
  public static Optional<GatewayTls> fromConfig(Config tls) {
    return KeyStoreFile.fromConfig(tls, PATH, "key-store", true).map(GatewayTls::new);
  }

  /** A server context presenting the key store's certificate; clients are not asked for one (API keys authenticate them). */
  public HttpsConnectionContext serverContext() {
    try {
      KeyStore store = keyStore.load();
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, keyStore.keyPassword());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return ConnectionContext.httpsServer(context);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(keyStore.setting() + ": cannot use the key in " + keyStore.store() + ": " + e.getMessage(), e);
    }
  }
}
