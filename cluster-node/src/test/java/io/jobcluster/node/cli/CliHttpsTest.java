package io.jobcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestCertificates;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool against a node serving HTTPS with a test CA's certificate: trusted through --ca-cert, a trust store or the config file. */
class CliHttpsTest {
  private static final String ADMIN_KEY = "admin-key-for-cli-https-tests-0123456789";

  @TempDir
  static Path dir;

  private static TestCertificates certificates;
  private static JobclusterNode node;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    certificates = TestCertificates.make(dir.resolve("certs"), "node-a");
    node = TestNodes.start(DatabaseSettings.h2(dir.resolve("data")), String.format("""
        jobcluster.admin-key = "%s"
        jobcluster.http.tls { key-store = "%s", key-store-password-file = "%s" }
        """, ADMIN_KEY, certificates.keyStore("node-a"), certificates.passwordFile("node-a")));
    url = "https://127.0.0.1:" + node.httpAddress().getPort();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private CliRunner cli() {
    return new CliRunner(dir).env(CliSettings.ENV_URL, url).env(CliSettings.ENV_API_KEY, ADMIN_KEY);
  }

  @Test
  void aServerCertificateNoTrustedCaSignedCannotBeReached() {
    CliRunner.Result untrusted = cli().run("queues");
    assertEquals(ExitCodes.UNREACHABLE, untrusted.exit(), untrusted.toString());
    assertTrue(untrusted.err().contains("SSLHandshakeException"), untrusted.err());
  }

  @Test
  void theCaCertificateOrATrustStoreFromFlagsEnvironmentOrConfigFileIsTrusted() throws Exception {
    Path caCert = certificates.dir().resolve("ca.crt");
    CliRunner.Result withCa = cli().run("queues", "--ca-cert", caCert.toString());
    assertEquals(0, withCa.exit(), withCa.toString());
    assertTrue(withCa.out().startsWith("QUEUE"), withCa.out());

    CliRunner.Result withStore = cli().env(CliSettings.ENV_TRUST_STORE, certificates.keyStore("truststore").toString())
        .env(CliSettings.ENV_TRUST_STORE_PASSWORD_FILE, certificates.passwordFile("truststore").toString()).run("workers", "--json");
    assertEquals(0, withStore.exit(), withStore.toString());

    Path config = dir.resolve("cli.properties");
    Files.writeString(config, "url = " + url + "\nca-cert = " + caCert + "\n");
    CliRunner.Result fromFile = new CliRunner(dir).env(CliSettings.ENV_CONFIG, config.toString())
        .env(CliSettings.ENV_API_KEY, ADMIN_KEY).run("stats");
    assertEquals(0, fromFile.exit(), fromFile.toString());
  }
}
