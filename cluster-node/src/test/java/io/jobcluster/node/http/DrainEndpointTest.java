package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.http.HttpTestClient.Answer;
import io.jobcluster.node.worker.TestHandlers;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /drain} on the management port, as a Kubernetes preStop hook calls it: readiness turns
 * 503 {@code draining}, the pools take no new work and finish what runs; asking again is harmless;
 * the shutdown that follows (SIGTERM) finds the drain done and does not wait out the grace.
 */
class DrainEndpointTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void aDrainStartedOnTheManagementPortStopsIntakeTurnsReadinessOffAndLetsRunningJobsFinish() throws Exception {
    // A request timeout shorter than the drain: a waiting call must outlast it.
    JobclusterNode node = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"default:2\"\njobcluster.worker.drain-grace = 60s\n"
        + "pekko.http.server.request-timeout = 2s");
    try {
      HttpTestClient http = new HttpTestClient(node);
      HttpTestClient management = HttpTestClient.management(node);
      String key = http.issueKey("acme", Set.of(Scope.SUBMIT, Scope.READ));
      List<String> running = List.of(submit(http, key, "gate"), submit(http, key, "gate"));
      for (String id : running) {
        TestHandlers.started(id).get(30, TimeUnit.SECONDS);
      }
      assertEquals(200, management.send("GET", "/health/ready", null, null).status());

      HttpTestClient.assertError(management.send("POST", "/drain?wait=soon", null, null), 400, "invalid_request");
      assertEquals(200, management.send("GET", "/health/ready", null, null).status(), "a refused call starts nothing");

      Answer started = management.send("POST", "/drain", null, null);
      assertEquals(202, started.status());
      assertEquals("draining", started.body().get("status").asText());
      Answer ready = management.send("GET", "/health/ready", null, null);
      assertEquals(503, ready.status());
      assertEquals("draining", ready.body().get("status").asText());
      assertEquals(202, management.send("POST", "/drain", null, null).status(), "idempotent: the same drain");

      CompletableFuture<Answer> waited = management.sendAsync("POST", "/drain?wait=true", null, null, Duration.ofSeconds(60));
      String afterDrain = submit(http, key, "noop");
      Awaitility.await("the waiting call outlasts the server's request timeout").during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10)).until(() -> !waited.isDone());
      running.forEach(id -> TestHandlers.gate(id).complete(null));
      Answer drained = waited.get(60, TimeUnit.SECONDS);
      assertEquals(200, drained.status());
      assertEquals("drained", drained.body().get("status").asText());
      for (String id : running) {
        http.await("/v1/jobs/" + id, key, a -> a.status() == 200 && a.body().get("status").asText().equals("COMPLETED"));
      }
      assertEquals("drained", management.send("POST", "/drain", null, null).body().get("status").asText());
      assertEquals("PENDING", http.send("GET", "/v1/jobs/" + afterDrain, key, null).body().get("status").asText(),
          "a drained node takes no new work");

      long start = System.nanoTime();
      node.close();
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertTrue(seconds < 30, "the shutdown after a finished drain took " + seconds + " s (grace 60 s)");
    } finally {
      node.close();
    }
  }

  private static String submit(HttpTestClient http, String key, String type) throws Exception {
    return http.send("POST", "/v1/jobs", key, "{\"type\":\"" + type + "\",\"timeoutSeconds\":600}").body().get("id").asText();
  }
}
