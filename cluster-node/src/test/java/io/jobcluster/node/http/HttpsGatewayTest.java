package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestCertificates;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.client.Submission;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node whose API serves HTTPS (JOBCLUSTER_HTTP_TLS_*), with a key store made by the test-certificate script, on 127.0.0.1. */
class HttpsGatewayTest {
  private static final String ADMIN_KEY = "admin-key-for-https-tests-0123456789";

  @TempDir
  static Path dir;

  private static TestCertificates certificates;
  private static JobclusterNode node;
  private static URI https;

  @BeforeAll
  static void start() throws Exception {
    certificates = TestCertificates.make(dir.resolve("certs"), "node-a");
    node = TestNodes.start(DatabaseSettings.h2(dir.resolve("data")), String.format("""
        jobcluster.admin-key = "%s"
        jobcluster.worker-queues = "default:2"
        jobcluster.http.tls { key-store = "%s", key-store-password-file = "%s" }
        """, ADMIN_KEY, certificates.keyStore("node-a"), certificates.passwordFile("node-a")));
    https = URI.create("https://127.0.0.1:" + node.httpAddress().getPort());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void anHttpsClientTrustingTheCaIsAnsweredAndChecksTheHostName() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(certificates.trustingClient()).version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> ready = client.send(HttpRequest.newBuilder(https.resolve("/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals("TLSv1.3", ready.sslSession().orElseThrow().getProtocol());
    // The certificate names 127.0.0.1 and localhost: the JDK client verified the host name it connected to.
    HttpResponse<String> byName = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + node.httpAddress().getPort() + "/health/live"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, byName.statusCode());
  }

  @Test
  void theJavaClientSubmitsAndReadsOverHttpsWithAnSslContext() throws Exception {
    SSLContext trusting = certificates.trustingClient();
    JobclusterClient admin = JobclusterClient.builder().baseUri(https).sslContext(trusting).apiKey(ADMIN_KEY).build();
    String key = admin.issueKey("secure", List.of("submit", "read"), "https test").key();
    JobclusterClient client = JobclusterClient.builder().baseUri(https).sslContext(trusting).apiKey(key).build();
    Submission submitted = client.submit(JobRequest.of("noop"));
    assertTrue(submitted.created());
    Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> client.get(submitted.job().id()).status() == JobStatus.COMPLETED);
  }

  @Test
  void aClientThatDoesNotTrustTheCaIsRefusedAndPlainHttpGetsNoAnswer() throws Exception {
    HttpClient untrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    assertThrows(SSLHandshakeException.class,
        () -> untrusting.send(HttpRequest.newBuilder(https.resolve("/health/live")).build(), HttpResponse.BodyHandlers.ofString()));
    URI plain = URI.create("http://127.0.0.1:" + node.httpAddress().getPort() + "/health/live");
    assertThrows(IOException.class, () -> untrusting.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void aCertificateOfAnotherCaIsNotTrusted() throws Exception {
    TestCertificates other = TestCertificates.make(dir.resolve("other-ca"), "node-a");
    HttpClient client = HttpClient.newBuilder().sslContext(other.trustingClient()).version(HttpClient.Version.HTTP_1_1).build();
    assertThrows(SSLHandshakeException.class,
        () -> client.send(HttpRequest.newBuilder(https.resolve("/health/live")).build(), HttpResponse.BodyHandlers.ofString()));
  }
}
