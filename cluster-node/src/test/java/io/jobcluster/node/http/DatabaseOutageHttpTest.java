package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.client.JobclusterApiException;
import io.jobcluster.protocol.client.JobclusterClient;
import java.net.URI;
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

  private static final JobRequest LATER = JobRequest.of("noop").withDelaySeconds(3600L);

  @Test
  void submissionsAnswerUnavailableWithinSecondsWhileTheDatabaseIsDownAndSucceedAfterwards() throws Exception {
    try (JobclusterNode node = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"\"")) {
      String key = node.apiKeys().store().issue("acme", Set.of(Scope.SUBMIT, Scope.READ), "outage").toCompletableFuture()
          .get(30, TimeUnit.SECONDS).plaintext();
      JobclusterClient client = JobclusterClient.builder().baseUri(URI.create("http://127.0.0.1:" + node.httpAddress().getPort())).apiKey(key)
          .connectTimeout(Duration.ofSeconds(5)).build();
      assertTrue(client.submit(LATER).created(), "before the outage");

      POSTGRES.server().stop();
      try {
        for (int i = 0; i < 3; i++) {
          long started = System.nanoTime();
          JobclusterApiException refused = assertThrows(JobclusterApiException.class, () -> client.submit(LATER));
          Duration took = Duration.ofNanos(System.nanoTime() - started);
          assertEquals(503, refused.status(), refused.getMessage());
          assertEquals("unavailable", refused.error(), refused.getMessage());
          assertTrue(refused.retryAfter().isPresent(), "a Retry-After: " + refused.getMessage());
          assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "answered after " + took);
        }
      } finally {
        POSTGRES.server().start();
      }

      // A refusal while the node reconnects is one more try, as a client retrying on 503 would make.
      Awaitility.await("submissions recovered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .ignoreExceptionsInstanceOf(JobclusterApiException.class)
          .untilAsserted(() -> assertTrue(client.submit(LATER).created(), "a submission after the database came back"));
    }
  }
}
