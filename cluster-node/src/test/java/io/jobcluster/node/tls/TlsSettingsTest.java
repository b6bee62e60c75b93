package io.jobcluster.node.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobcluster.node.NodeConfig;
import io.jobcluster.persistence.DatabaseSettings;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code jobcluster.cluster.tls}, {@code jobcluster.http.tls} and the insecure switches become
 * Pekko's settings or a refusal to start, read from the node's configuration as it loads. The
 * addresses here are only configured, never bound.
 */
class TlsSettingsTest {
  private static final String KEY_PASSWORD = "key-store-secret-4711";
  private static final String TRUST_PASSWORD = "trust-store-secret-0815";

  @TempDir
  Path dir;

  private Config load(String overrides) {
    return NodeConfig.load(DatabaseSettings.h2(dir.resolve("data")), ConfigFactory.parseString(overrides));
  }

  @Test
  void withoutTlsTheClusterTransportIsPlainTcpOnLoopback() {
    Config config = load("");
    assertEquals("tcp", config.getString("pekko.remote.artery.transport"));
    assertEquals("127.0.0.1", config.getString("pekko.remote.artery.canonical.hostname"));
    assertFalse(config.getBoolean("jobcluster.cluster.insecure"));
    assertFalse(config.getBoolean("jobcluster.http.insecure"));
  }

  @Test
  void clusterTlsMapsOntoArteryTlsTcpWithMutualAuthenticationAndPasswordsFromTheirFiles() throws Exception {
    Config config = load(clusterTls() + "jobcluster.cluster.host = \"10.0.0.5\"\n");
    assertEquals("tls-tcp", config.getString("pekko.remote.artery.transport"));
    Config engine = config.getConfig("pekko.remote.artery.ssl.config-ssl-engine");
    assertEquals("org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider", config.getString("pekko.remote.artery.ssl.ssl-engine-provider"));
    assertTrue(engine.getBoolean("require-mutual-authentication"));
    assertFalse(engine.getBoolean("hostname-verification"), "the private CA authenticates, not host names");
    assertEquals(dir.resolve("node.p12").toAbsolutePath().toString(), engine.getString("key-store"));
    assertEquals(dir.resolve("trust.p12").toAbsolutePath().toString(), engine.getString("trust-store"));
    assertEquals(KEY_PASSWORD, engine.getString("key-store-password"), "the file's content without its line break");
    assertEquals(KEY_PASSWORD, engine.getString("key-password"), "a PKCS12 key has its store's password");
    assertEquals(TRUST_PASSWORD, engine.getString("trust-store-password"));
  }

  @Test
  void aKeyPasswordFileOfItsOwnIsUsedForTheKey() throws Exception {
    Path keyPassword = Files.writeString(dir.resolve("key.password"), "another-secret");
    Config config = load(clusterTls() + "jobcluster.cluster.tls.key-password-file = \"" + keyPassword + "\"\n");
    assertEquals("another-secret", config.getString("pekko.remote.artery.ssl.config-ssl-engine.key-password"));
  }

  @Test
  void aNodeOnARoutableClusterAddressWithoutTlsRefusesToStartUnlessInsecure() {
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> load("jobcluster.cluster.host = \"10.0.0.5\""));
    assertTrue(refused.getMessage().contains("'10.0.0.5'") && refused.getMessage().contains("JOBCLUSTER_CLUSTER_INSECURE=true"),
        refused.getMessage());
    assertThrows(IllegalStateException.class, () -> load("jobcluster.cluster.host = \"0.0.0.0\""));
    // Artery listens on bind.hostname when it is set, whatever the canonical address says.
    assertThrows(IllegalStateException.class, () -> load("pekko.remote.artery.bind.hostname = \"0.0.0.0\""));

    Config insecure = load("jobcluster.cluster { host = \"10.0.0.5\", insecure = true }");
    assertEquals("tcp", insecure.getString("pekko.remote.artery.transport"));
    // As the environment variable sets it: a string.
    load("jobcluster.cluster { host = \"10.0.0.5\", insecure = \"true\" }");
  }

  @Test
  void plainHttpOnARoutableAddressRefusesToStartUnlessInsecureOrHttps() throws Exception {
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> load("jobcluster.http.host = \"0.0.0.0\""));
    assertTrue(refused.getMessage().contains("JOBCLUSTER_HTTP_TLS_KEY_STORE"), refused.getMessage());
    load("jobcluster.http { host = \"0.0.0.0\", insecure = true }");
    Path store = keyStore("http.p12", KEY_PASSWORD);
    Config https = load("jobcluster.http { host = \"0.0.0.0\", tls { key-store = \"" + store + "\", key-store-password-file = \""
        + password("http.password", KEY_PASSWORD) + "\" } }");
    assertTrue(GatewayTls.fromConfig(https.getConfig(GatewayTls.PATH)).isPresent());
  }

  @Test
  void bothStoresOrNeither() throws Exception {
    Path store = keyStore("node.p12", KEY_PASSWORD);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load("jobcluster.cluster.tls { key-store = \""
        + store + "\", key-store-password-file = \"" + password("node.password", KEY_PASSWORD) + "\" }"));
    assertTrue(e.getMessage().contains("both") && e.getMessage().contains("JOBCLUSTER_CLUSTER_TLS_TRUST_STORE"), e.getMessage());
  }

  @Test
  void aStoreWithoutItsPasswordFileOrWithAWrongPasswordStopsTheNodeWithoutShowingThePassword() throws Exception {
    Path store = keyStore("node.p12", KEY_PASSWORD);
    Path trust = keyStore("trust.p12", TRUST_PASSWORD);
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> load("jobcluster.cluster.tls { key-store = \""
        + store + "\", trust-store = \"" + trust + "\" }"));
    assertTrue(missing.getMessage().contains("jobcluster.cluster.tls.key-store-password-file is required"), missing.getMessage());

    IllegalArgumentException absent = assertThrows(IllegalArgumentException.class, () -> load("jobcluster.cluster.tls { key-store = \""
        + dir.resolve("absent.p12") + "\", key-store-password-file = \"" + password("node.password", KEY_PASSWORD) + "\" }"));
    assertTrue(absent.getMessage().contains("no readable file at " + dir.resolve("absent.p12")), absent.getMessage());

    String wrong = "not-the-password-1234";
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> load(String.format(
        "jobcluster.cluster.tls { key-store = \"%s\", key-store-password-file = \"%s\", trust-store = \"%s\", trust-store-password-file = \"%s\" }",
        store, password("wrong.password", wrong), trust, password("trust.password", TRUST_PASSWORD))));
    assertTrue(refused.getMessage().startsWith("jobcluster.cluster.tls.key-store: cannot read " + store), refused.getMessage());
    assertFalse(refused.getMessage().contains(wrong) || refused.getMessage().contains(KEY_PASSWORD), refused.getMessage());
  }

  /** Cluster TLS settings on two stores in the temp dir; the stores hold no entries, enough for the mapping. */
  private String clusterTls() throws Exception {
    return String.format("jobcluster.cluster.tls { key-store = \"%s\", key-store-password-file = \"%s\", trust-store = \"%s\", "
            + "trust-store-password-file = \"%s\" }%n",
        keyStore("node.p12", KEY_PASSWORD), password("node.password", KEY_PASSWORD + "\n"),
        keyStore("trust.p12", TRUST_PASSWORD), password("trust.password", TRUST_PASSWORD));
  }

  private Path password(String name, String secret) throws Exception {
    return Files.writeString(dir.resolve(name), secret);
  }

  private Path keyStore(String name, String password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, password.toCharArray());
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }
}
