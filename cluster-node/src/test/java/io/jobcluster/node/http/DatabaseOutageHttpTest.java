package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PostgreSQL stops under a running node: submissions answer 503 fast, and work again once it is back. */
class DatabaseOutageHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void submissionsAnswerUnavailableWithinSecondsWhileTheDatabaseIsDownAndSucceedAfterwards() throws Exception {
    try (JobclusterNode node = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"\"")) {
      String key = node.apiKeys().store().issue("acme", Set.of(Scope.SUBMIT, Scope.READ), "outage").toCompletableFuture()
          .get(30, TimeUnit.SECONDS).plaintext();
      String base = "http://127.0.0.1:" + node.httpAddress().getPort();
      assertEquals(201, submit(base, key).statusCode(), "before the outage");

      POSTGRES.server().stop();
      try {
        for (int i = 0; i < 3; i++) {
          long started = System.nanoTime();
          HttpResponse<String> answer = submit(base, key);
          Duration took = Duration.ofNanos(System.nanoTime() - started);
          assertEquals(503, answer.statusCode(), answer.body());
          assertTrue(answer.body().contains("\"error\":\"unavailable\""), answer.body());
          assertTrue(answer.headers().firstValue("Retry-After").isPresent());
          assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "answered after " + took);
        }
      } finally {
        POSTGRES.server().start();
      }

      Awaitility.await("submissions recovered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertEquals(201, submit(base, key).statusCode(), "a submission after the database came back"));
    }
  }

  private static HttpResponse<String> submit(String base, String key) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/jobs")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"noop\",\"delaySeconds\":3600}")).build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
