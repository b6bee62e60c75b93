package io.jobcluster.node.http;

import static io.jobcluster.node.http.HttpTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.http.HttpTestClient.Answer;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-tenant quota, submission rate and payload limit, and the node's bound on requests in flight, over real HTTP. */
class LimitsHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  /** The default of jobcluster.limits.max-payload, 64 KiB. */
  private static final int MAX_PAYLOAD = 64 * 1024;
  private static JobclusterNode node;
  private static HttpTestClient http;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), String.join("\n",
        "jobcluster.worker-queues = \"default:2\"",
        "jobcluster.limits.max-in-flight-requests = 3",
        "jobcluster.http.retry-after = 7s",
        "jobcluster.limits.active-count-ttl = 100ms",
        // One token per 100 s: after the burst of 2, a third submission is refused however slow the machine is.
        "jobcluster.limits.tenants { \"slow\" { submit-rate = 0.01, submit-burst = 2 } }",
        "jobcluster.limits.tenants { \"small\" { max-active-jobs = 3 } }"));
    http = new HttpTestClient(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aTenantOverItsSubmissionRateGets429RateLimitedWithRetryAfter() throws Exception {
    String slow = http.issueKey("slow", Set.of(Scope.SUBMIT, Scope.READ));
    String other = http.issueKey("unhurried", Set.of(Scope.SUBMIT));
    assertEquals(201, http.send("POST", "/v1/jobs", slow, "{\"type\":\"noop\"}").status());
    assertEquals(201, http.send("POST", "/v1/jobs", slow, "{\"type\":\"noop\"}").status());

    Answer limited = http.send("POST", "/v1/jobs", slow, "{\"type\":\"noop\"}");
    assertError(limited, 429, "rate_limited");
    long retryAfter = Long.parseLong(limited.header("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 100, "Retry-After " + retryAfter);
    assertError(http.send("POST", "/v1/jobs/batch", slow, """
        {"jobs": [{"type": "noop"}, {"type": "noop"}, {"type": "noop"}]}"""), 429, "rate_limited");
    assertEquals(201, http.send("POST", "/v1/jobs", other, "{\"type\":\"noop\"}").status(), "other tenants are not limited by it");

    // Refused submissions changed nothing: the tenant has its two jobs only.
    http.await("/v1/jobs?limit=100", slow, a -> a.status() == 200 && a.body().get("items").size() == 2);
    assertEquals(2, http.send("GET", "/v1/jobs?limit=100", slow, null).body().get("items").size());
  }

  @Test
  void aPayloadUpToTheLimitIsAcceptedAndOneByteMoreIs413AndCreatesNothing() throws Exception {
    String key = http.issueKey("bulky", Set.of(Scope.SUBMIT, Scope.READ));
    String fits = payloadOf(MAX_PAYLOAD);
    String over = payloadOf(MAX_PAYLOAD + 1);

    Answer accepted = http.send("POST", "/v1/jobs", key, job(fits));
    assertEquals(201, accepted.status(), accepted.text());
    assertEquals(MAX_PAYLOAD, accepted.body().get("payload").toString().length());

    Answer refused = http.send("POST", "/v1/jobs", key, job(over), "Idempotency-Key", "too-large");
    assertError(refused, 413, "payload_too_large");
    assertEquals("payload", refused.body().get("field").asText());
    assertTrue(refused.body().get("message").asText().contains(Integer.toString(MAX_PAYLOAD)), refused.text());
    // The refusal created nothing: the key is still free.
    assertEquals(201, http.send("POST", "/v1/jobs", key, "{\"queue\":\"parked\",\"type\":\"noop\"}", "Idempotency-Key", "too-large").status());
  }

  @Test
  void aBatchRefusesEachItemOverThePayloadLimitAloneWith413() throws Exception {
    String key = http.issueKey("bulky-batch", Set.of(Scope.SUBMIT, Scope.READ));
    Answer answer = http.send("POST", "/v1/jobs/batch", key,
        "{\"jobs\": [" + job(payloadOf(MAX_PAYLOAD)) + "," + job(payloadOf(MAX_PAYLOAD + 1)) + "]}");
    assertEquals(200, answer.status(), answer.text());
    var items = answer.body().get("items");
    assertEquals(201, items.get(0).get("status").asInt(), items.toString());
    assertEquals(413, items.get(1).get("status").asInt());
    assertEquals("payload_too_large", items.get(1).get("error").get("error").asText());
    assertEquals("payload", items.get(1).get("error").get("field").asText());
    assertNull(items.get(1).get("job"));
    http.await("/v1/jobs?limit=100", key, a -> a.status() == 200 && a.body().get("items").size() == 1);
  }

  /** A job on a queue no worker serves. */
  private static String job(String payload) {
    return "{\"queue\":\"parked\",\"type\":\"noop\",\"payload\":" + payload + "}";
  }

  /** A JSON payload of exactly {@code bytes} bytes as the node keeps it: {@code {"s":"xx…"}}. */
  private static String payloadOf(int bytes) {
    return "{\"s\":\"" + "x".repeat(bytes - 8) + "\"}";
  }

  @Test
  void invalidSubmissionsAreRefusedAsInvalidBeforeTheyCountAgainstLimits() throws Exception {
    String key = http.issueKey("careful", Set.of(Scope.SUBMIT));
    assertError(http.send("POST", "/v1/jobs", key, "{\"type\":\"noop\",\"priority\":\"high\"}"), 400, "invalid_request");
    assertError(http.send("POST", "/v1/jobs", key, "{\"queue\":\"Bad Queue\",\"type\":\"noop\"}"), 400, "invalid_request");
  }

  @Test
  void aTenantAtItsQuotaOfActiveJobsGets429QuotaExceededUntilOneFinishes() throws Exception {
    String small = http.issueKey("small", Set.of(Scope.SUBMIT, Scope.READ));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      // A queue no worker serves: the jobs stay PENDING.
      Answer created = http.send("POST", "/v1/jobs", small, "{\"queue\":\"parked\",\"type\":\"noop\"}");
      assertEquals(201, created.status(), created.text());
      ids.add(created.body().get("id").asText());
    }
    http.await("/v1/jobs?status=PENDING", small, a -> a.status() == 200 && a.body().get("items").size() == 3);

    Answer refused = http.send("POST", "/v1/jobs", small, "{\"queue\":\"parked\",\"type\":\"noop\"}");
    assertError(refused, 429, "quota_exceeded");
    assertTrue(refused.body().get("message").asText().contains("3"), refused.text());
    assertNull(refused.header("Retry-After"), "waiting alone does not free a quota");

    assertEquals(200, http.send("POST", "/v1/jobs/" + ids.get(0) + "/cancel", small, null).status());
    http.await("/v1/jobs?status=PENDING", small, a -> a.status() == 200 && a.body().get("items").size() == 2);
    // Once the read model shows the cancelled job finished (and the cached count expired), one more fits.
    AtomicReference<Answer> admitted = new AtomicReference<>();
    Awaitility.await("one more job admitted").atMost(Duration.ofSeconds(30)).until(() -> {
      admitted.set(http.send("POST", "/v1/jobs", small, "{\"queue\":\"parked\",\"type\":\"noop\"}"));
      return admitted.get().status() != 429;
    });
    assertEquals(201, admitted.get().status(), admitted.get().text());
    assertError(http.send("POST", "/v1/jobs", small, "{\"queue\":\"parked\",\"type\":\"noop\"}"), 429, "quota_exceeded");
  }

  @Test
  void requestsBeyondTheInFlightBoundAnswer503AtOnceAndHealthStillAnswers() throws Exception {
    String worker = http.issueKey("idle-workers", Set.of(Scope.WORK));
    List<CompletableFuture<Answer>> polls = holdEverySlot(worker, "empty");
    Answer refused = http.send("GET", "/v1/stats", worker, null);
    assertError(refused, 503, "unavailable");
    assertTrue(refused.body().get("message").asText().contains("limit of 3"), refused.text());
    assertEquals("7", refused.header("Retry-After"), "jobcluster.http.retry-after");
    assertEquals(200, http.send("GET", "/health/live", null, null).status(), "health is not bounded");

    for (CompletableFuture<Answer> poll : polls) {
      Answer answer = poll.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(200, answer.status(), answer.text());
      assertEquals(0, answer.body().get("items").size());
    }
    assertEquals(403, http.send("GET", "/v1/stats", worker, null).status(), "slots are free again: the request reaches the endpoint");
  }

  @Test
  void callsWithoutAValidKeyAreAnsweredWhileEverySlotIsTaken() throws Exception {
    String worker = http.issueKey("busy-workers", Set.of(Scope.WORK));
    List<CompletableFuture<Answer>> polls = holdEverySlot(worker, "empty-too");
    assertError(http.send("GET", "/v1/stats", worker, null), 503, "unavailable");
    // Authentication comes before a slot: without a valid key a call is refused as such, never held in a slot.
    assertError(http.send("GET", "/v1/stats", null, null), 401, "unauthorized");
    assertError(http.send("GET", "/v1/stats", "jc_0123456789abcdef_" + "B".repeat(43), null), 401, "unauthorized");
    assertError(http.send("POST", "/v1/jobs", "not-a-key", "{\"type\":\"noop\"}"), 401, "unauthorized");
    for (CompletableFuture<Answer> poll : polls) {
      assertEquals(200, poll.get(60, java.util.concurrent.TimeUnit.SECONDS).status());
    }
  }

  /**
   * Three long polls on an empty queue hold all three slots for 25 s (longer than the server's usual request
   * timeout, which a long poll outlasts); /metrics on the management port shows each one arrive.
   */
  private static List<CompletableFuture<Answer>> holdEverySlot(String workKey, String queue) throws Exception {
    List<CompletableFuture<Answer>> polls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      polls.add(http.sendAsync("POST", "/v1/queues/" + queue + "/lease", workKey, """
          {"workerId": "w%d", "waitSeconds": 25}""".formatted(i), Duration.ofSeconds(60)));
      String inFlight = "jobcluster_http_requests_in_flight " + (double) (i + 1) + "\n";
      HttpTestClient.management(node).await("/metrics", null, a -> a.text().contains(inFlight));
    }
    return polls;
  }
}
