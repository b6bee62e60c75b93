package io.jobcluster.node.tls;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.Optional;

/**
 * TLS with mutual authentication for the cluster transport (Artery {@code tls-tcp}), from
 * {@code jobcluster.cluster.tls}: this node's key store (its certificate, signed by the cluster's
 * CA) and a trust store holding that CA. Every connection in either direction presents a
 * certificate the other side checks against its trust store, so only holders of a certificate of
 * the cluster's CA can join, send or receive. Host names are not verified: the private CA is the
 * authentication, and nodes reach each other by addresses that change (docs/SECURITY.md).
 */
public record ClusterTls(KeyStoreFile keyStore, KeyStoreFile trustStore) {
  public static final String PATH = "jobcluster.cluster.tls";
  private static final String ENGINE = "pekko.remote.artery.ssl.config-ssl-engine.";

  /** The listener rule of the cluster transport. */
  public static final ListenerRule RULE = new ListenerRule("the cluster transport (Artery)",
      "JOBCLUSTER_CLUSTER_HOST, jobcluster.cluster.host",
      "JOBCLUSTER_CLUSTER_TLS_KEY_STORE and JOBCLUSTER_CLUSTER_TLS_TRUST_STORE with their password files (" + PATH + ")",
      "JOBCLUSTER_CLUSTER_INSECURE=true (jobcluster.cluster.insecure)");

  /** Empty when neither store is set; both or neither, since mutual authentication needs both. */
  public static Optional<ClusterTls> fromConfig(Config tls) {
    Optional<KeyStoreFile> key = KeyStoreFile.fromConfig(tls, PATH, "key-store", true);
    Optional<KeyStoreFile> trust = KeyStoreFile.fromConfig(tls, PATH, "trust-store", false);
    if (key.isPresent() != trust.isPresent()) {
      throw new IllegalArgumentException("cluster TLS needs both " + PATH + ".key-store and " + PATH
          + ".trust-store (JOBCLUSTER_CLUSTER_TLS_KEY_STORE, JOBCLUSTER_CLUSTER_TLS_TRUST_STORE), or neither");
    }
    return key.map(k -> new ClusterTls(k, trust.get()));
  }

  /**
   * Pekko's settings for this TLS, the one place they are set: the {@code tls-tcp} transport and
   * the {@code ConfigSSLEngineProvider}'s stores, with the passwords read from their files now (they
   * live only in the node's memory). Both stores are opened here, so a wrong password or path stops
   * the node at start rather than at its first connection.
   */
  public Config pekkoSettings() {
    keyStore.load();
    trustStore.load();
    return ConfigFactory.empty()
        .withValue("pekko.remote.artery.transport", ConfigValueFactory.fromAnyRef("tls-tcp"))
        .withValue("pekko.remote.artery.ssl.ssl-engine-provider",
            ConfigValueFactory.fromAnyRef("org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider"))
        .withValue(ENGINE + "key-store", ConfigValueFactory.fromAnyRef(keyStore.store().toAbsolutePath().toString()))
        .withValue(ENGINE + "key-store-password", ConfigValueFactory.fromAnyRef(new String(keyStore.password())))
        .withValue(ENGINE + "key-password", ConfigValueFactory.fromAnyRef(new String(keyStore.keyPassword())))
        .withValue(ENGINE + "trust-store", ConfigValueFactory.fromAnyRef(trustStore.store().toAbsolutePath().toString()))
        .withValue(ENGINE + "trust-store-password", ConfigValueFactory.fromAnyRef(new String(trustStore.password())))
        .withValue(ENGINE + "require-mutual-authentication", ConfigValueFactory.fromAnyRef(true))
        .withValue(ENGINE + "hostname-verification", ConfigValueFactory.fromAnyRef(false));
  }
}
