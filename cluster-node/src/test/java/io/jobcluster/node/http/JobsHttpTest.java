package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static io.jobcluster.node.http.HttpTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.http.HttpTestClient.Answer;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** API v1 jobs endpoints on a real node, through a real HTTP client, with real API keys. */
class JobsHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String ADMIN_KEY = "admin-key-for-tests-0123456789abcdef";

  private static JobclusterNode node;
  private static HttpTestClient http;
  private static String acme;
  private static String globex;
  private static String acmeReadOnly;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\njobcluster.worker-queues = \"default:2\"\n"
        + "jobcluster.http.max-body = 4KiB\n");
    http = new HttpTestClient(node);
    acme = issue("acme", Set.of(Scope.SUBMIT, Scope.READ));
    globex = issue("globex", Set.of(Scope.SUBMIT, Scope.READ));
    acmeReadOnly = issue("acme", Set.of(Scope.READ));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static String issue(String tenant, Set<Scope> scopes) throws Exception {
    return node.apiKeys().store().issue(tenant, scopes, "test").toCompletableFuture().get(30, TimeUnit.SECONDS).plaintext();
  }

  private static Answer send(String method, String path, String key, String body, String... headers) throws Exception {
    return http.send(method, path, key, body, headers);
  }

  private static Answer awaitAnswer(String path, String key, Predicate<Answer> condition) throws Exception {
    return http.await(path, key, condition);
  }

  @Test
  void aSubmittedJobRunsAndItsViewHistoryAndListingShowIt() throws Exception {
    Answer created = send("POST", "/v1/jobs", acme, """
        {"type": "noop", "payload": {"file": "a.png", "pages": [1, 2]}, "priority": 7, "tags": ["batch:1"]}""");
    assertEquals(201, created.status(), String.valueOf(created.body()));
    String id = created.body().get("id").asText();
    assertEquals("/v1/jobs/" + id, created.headers().firstValue("Location").orElseThrow());
    assertEquals("""
        {"file":"a.png","pages":[1,2]}""", created.body().get("payload").toString());
    assertEquals(7, created.body().get("priority").asInt());

    Answer done = awaitAnswer("/v1/jobs/" + id, acme, a -> a.status() == 200 && a.body().get("status").asText().equals("COMPLETED"));
    assertEquals(1, done.body().get("attempts").asInt());
    assertTrue(done.body().get("finishedAt").asText().endsWith("Z"), done.body().toString());

    Answer history = awaitAnswer("/v1/jobs/" + id + "/history", acme, a -> a.status() == 200 && a.body().get("items").size() == 3);
    List<String> statuses = List.of(history.body().get("items").get(0).get("to").asText(), history.body().get("items").get(1).get("to").asText(),
        history.body().get("items").get(2).get("to").asText());
    assertEquals(List.of("PENDING", "RUNNING", "COMPLETED"), statuses);

    Answer listed = awaitAnswer("/v1/jobs?status=COMPLETED&type=noop&limit=100", acme, a -> a.status() == 200
        && a.body().get("items").findValuesAsText("id").contains(id));
    assertTrue(listed.body().has("nextCursor"));
    assertTrue(send("GET", "/v1/jobs?status=COMPLETED", globex, null).body().get("items").findValuesAsText("id").stream().noneMatch(id::equals),
        "another tenant's listing does not show the job");

    assertEquals(204, send("DELETE", "/v1/jobs/" + id, acme, null).status());
    assertError(send("GET", "/v1/jobs/" + id, acme, null), 404, "not_found");
  }

  @Test
  void aRepeatedIdempotencyKeyAnswersTheOriginalJobAndADifferentRequestConflicts() throws Exception {
    String body = "{\"type\":\"noop\",\"delaySeconds\":3600}";
    Answer first = send("POST", "/v1/jobs", acme, body, "Idempotency-Key", "order-77");
    Answer again = send("POST", "/v1/jobs", acme, body, "Idempotency-Key", "order-77");
    assertEquals(201, first.status());
    assertEquals(200, again.status());
    assertEquals(first.body().get("id"), again.body().get("id"));
    assertError(send("POST", "/v1/jobs", acme, "{\"type\":\"noop\",\"priority\":1}", "Idempotency-Key", "order-77"), 409, "idempotency_conflict");
    Answer otherTenant = send("POST", "/v1/jobs", globex, body, "Idempotency-Key", "order-77");
    assertEquals(201, otherTenant.status(), "keys are per tenant");
  }

  @Test
  void cancelRetryAndDeleteFollowTheStateMachine() throws Exception {
    String scheduled = send("POST", "/v1/jobs", acme, "{\"type\":\"noop\",\"delaySeconds\":3600}", new String[0]).body().get("id").asText();
    Answer cancelled = send("POST", "/v1/jobs/" + scheduled + "/cancel", acme, null);
    assertEquals(200, cancelled.status());
    assertEquals("CANCELLED", cancelled.body().get("status").asText());
    Answer again = send("POST", "/v1/jobs/" + scheduled + "/cancel", acme, null);
    assertError(again, 409, "invalid_transition");
    assertEquals("CANCELLED", again.body().get("from").asText());
    assertEquals("CANCELLED", again.body().get("to").asText());
    assertError(send("POST", "/v1/jobs/" + scheduled + "/retry", acme, null), 409, "invalid_transition");

    String failing = send("POST", "/v1/jobs", acme, """
        {"type": "fail", "payload": {"times": 1, "retryable": false}}""").body().get("id").asText();
    awaitAnswer("/v1/jobs/" + failing, acme, a -> a.body().get("status").asText().equals("FAILED"));
    assertError(send("DELETE", "/v1/jobs/" + scheduled + "x", acme, null), 404, "not_found");
    Answer redriven = send("POST", "/v1/jobs/" + failing + "/retry", acme, null);
    assertEquals(200, redriven.status());
    assertEquals("PENDING", redriven.body().get("status").asText());
    awaitAnswer("/v1/jobs/" + failing, acme, a -> a.body().get("status").asText().equals("COMPLETED"));
  }

  @Test
  void keysAreCheckedAndTenantsSeeOnlyTheirOwnJobs() throws Exception {
    String id = send("POST", "/v1/jobs", acme, "{\"type\":\"noop\",\"delaySeconds\":3600}").body().get("id").asText();

    assertError(send("GET", "/v1/jobs/" + id, null, null), 401, "unauthorized");
    assertError(send("GET", "/v1/jobs/" + id, "jc_0000000000000000_unknownunknownunknownunknownunknownunknown", null), 401, "unauthorized");
    String revoked = issue("acme", Set.of(Scope.READ));
    node.apiKeys().store().revoke(revoked.split("_")[1]).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertError(send("GET", "/v1/jobs/" + id, revoked, null), 401, "unauthorized");
    Answer forbidden = send("POST", "/v1/jobs", acmeReadOnly, "{\"type\":\"noop\"}");
    assertError(forbidden, 403, "forbidden");
    assertEquals("this key lacks the 'submit' scope", forbidden.body().get("message").asText());
    // The scope comes before the body: a key that may not submit learns that, whatever it sent.
    assertError(send("POST", "/v1/jobs", acmeReadOnly, "{\"type\":"), 403, "forbidden");
    assertError(send("POST", "/v1/jobs", acmeReadOnly, "type=noop", "Content-Type", "text/plain"), 403, "forbidden");
    assertError(send("POST", "/v1/jobs/" + id + "/cancel", acmeReadOnly, null), 403, "forbidden");
    assertError(send("GET", "/v1/jobs/" + id, globex, null), 404, "not_found");
    assertError(send("POST", "/v1/jobs/" + id + "/cancel", globex, null), 404, "not_found");

    assertEquals(200, send("GET", "/v1/jobs/" + id, acmeReadOnly, null).status());
    assertEquals(200, send("GET", "/v1/jobs/" + id, null, null, "X-API-Key", acme).status());
    assertEquals(200, send("GET", "/v1/jobs/" + id, ADMIN_KEY, null).status(), "an admin key sees every tenant's jobs");
    assertEquals("SCHEDULED", send("GET", "/v1/jobs/" + id, acme, null).body().get("status").asText(), "nothing changed");
  }

  @Test
  void everyEndpointAnswersWithoutAKeyOnlyIfPublicAndRefusesAKeyWithoutItsScope() throws Exception {
    Map<Scope, String> lacking = new EnumMap<>(Scope.class);
    for (Scope scope : Scope.values()) {
      Set<Scope> others = EnumSet.complementOf(EnumSet.of(scope, Scope.ADMIN));
      lacking.put(scope, issue("acme", others));
    }
    for (Endpoint endpoint : node.httpEndpoints()) {
      String path = endpoint.path().replace("{id}", UUID.randomUUID().toString()).replace("{queue}", "default")
          .replace("{keyId}", "0123456789abcdef").replace("{tenant}", "acme");
      String body = endpoint.method().equals("POST") ? "{}" : null;
      Answer anonymous = send(endpoint.method(), path, null, body);
      if (endpoint.scope().isEmpty()) {
        assertTrue(anonymous.status() != 401 && anonymous.status() != 403, endpoint.name() + " is public: " + anonymous.status());
        continue;
      }
      Scope scope = endpoint.scope().get();
      assertError(anonymous, 401, "unauthorized");
      Answer refused = send(endpoint.method(), path, lacking.get(scope), body);
      assertError(refused, 403, "forbidden");
      assertEquals("this key lacks the '" + scope.wireName() + "' scope", refused.body().get("message").asText(), endpoint.name());
    }
  }

  @Test
  void anAdminIssuesListsAndRevokesTenantKeysAndTheKeyIsShownOnlyOnce() throws Exception {
    Answer issued = send("POST", "/v1/admin/keys", ADMIN_KEY, """
        {"tenant": "initech", "scopes": ["submit", "read"], "description": "etl"}""");
    assertEquals(201, issued.status(), String.valueOf(issued.body()));
    String key = issued.body().get("key").asText();
    String keyId = issued.body().get("keyId").asText();
    assertEquals(List.of("submit", "read"), List.of(issued.body().get("scopes").get(0).asText(), issued.body().get("scopes").get(1).asText()));
    assertEquals(201, send("POST", "/v1/jobs", key, "{\"type\":\"noop\",\"delaySeconds\":3600}").status(), "the new key works");

    Answer listed = send("GET", "/v1/admin/keys?tenant=initech", ADMIN_KEY, null);
    assertEquals(200, listed.status());
    assertEquals(keyId, listed.body().get("items").get(0).get("keyId").asText());
    // The secret is the key's last 43 characters; base64url may contain '_', so it is not "after the last '_'".
    assertTrue(!listed.body().toString().contains(key.substring(key.length() - 43)), "a listing never shows the secret");

    String unused = send("POST", "/v1/admin/keys", ADMIN_KEY, "{\"tenant\":\"initech\",\"scopes\":[\"read\"]}").body().get("key").asText();
    assertEquals(204, send("DELETE", "/v1/admin/keys/" + unused.split("_")[1], ADMIN_KEY, null).status());
    assertError(send("GET", "/v1/jobs?limit=1", unused, null), 401, "unauthorized");
    // A key this node has cached (it was just used) stops working here at once when revoked here.
    assertEquals(204, send("DELETE", "/v1/admin/keys/" + keyId, ADMIN_KEY, null).status());
    assertError(send("GET", "/v1/jobs?limit=1", key, null), 401, "unauthorized");
    assertError(send("DELETE", "/v1/admin/keys/0000000000000000", ADMIN_KEY, null), 404, "not_found");

    assertError(send("POST", "/v1/admin/keys", acme, "{\"tenant\":\"acme\",\"scopes\":[\"admin\"]}"), 403, "forbidden");
    assertError(send("GET", "/v1/admin/keys?tenant=acme", acme, null), 403, "forbidden");
    Answer badScope = send("POST", "/v1/admin/keys", ADMIN_KEY, "{\"tenant\":\"initech\",\"scopes\":[\"everything\"]}");
    assertError(badScope, 400, "invalid_request");
    assertEquals("scopes", badScope.body().get("field").asText());
    assertError(send("POST", "/v1/admin/keys", ADMIN_KEY, "{\"scopes\":[\"read\"]}"), 400, "invalid_request");
    assertError(send("GET", "/v1/admin/keys", ADMIN_KEY, null), 400, "invalid_request");
  }

  @Test
  void statsQueuesAndWorkersDescribeTheTenantsJobsAndTheClustersPools() throws Exception {
    String tenantKey = issue("opsview", Set.of(Scope.SUBMIT, Scope.READ));
    String done = send("POST", "/v1/jobs", tenantKey, "{\"type\":\"noop\"}").body().get("id").asText();
    send("POST", "/v1/jobs", tenantKey, """
        {"type": "noop", "queue": "reports", "delaySeconds": 3600}""");
    awaitAnswer("/v1/jobs/" + done, tenantKey, a -> a.body().get("status").asText().equals("COMPLETED"));

    Answer stats = awaitAnswer("/v1/stats", tenantKey, a -> a.status() == 200 && a.body().get("total").asLong() == 2
        && a.body().get("byStatus").get("COMPLETED").asLong() == 1);
    assertEquals(1, stats.body().get("byStatus").get("SCHEDULED").asLong());
    assertEquals(1.0, stats.body().get("successRate").asDouble());

    Answer queues = send("GET", "/v1/queues", tenantKey, null);
    assertEquals(200, queues.status());
    JsonNode reports = null;
    JsonNode defaults = null;
    for (JsonNode queue : queues.body().get("items")) {
      if (queue.get("queue").asText().equals("reports")) {
        reports = queue;
      } else if (queue.get("queue").asText().equals("default")) {
        defaults = queue;
      }
    }
    assertEquals(1, reports.get("scheduled").asLong(), queues.body().toString());
    assertEquals(0, reports.get("workers").asInt(), "no pool serves the reports queue");
    assertEquals(1, defaults.get("workers").asInt(), queues.body().toString());
    assertEquals(2, defaults.get("capacity").asInt());

    // The cluster's pools serve every tenant: the operator sees them, a tenant only its own external workers (none here).
    Answer mine = send("GET", "/v1/workers", tenantKey, null);
    assertEquals(200, mine.status());
    assertEquals(0, mine.body().get("items").size(), mine.text());
    Answer workers = send("GET", "/v1/workers", ADMIN_KEY, null);
    assertEquals(200, workers.status());
    JsonNode pool = workers.body().get("items").get(0);
    assertEquals(node.nodeId() + "/default", pool.get("id").asText());
    assertEquals("default", pool.get("queues").get(0).asText());
    assertEquals(2, pool.get("capacity").asInt());

    String writeOnly = issue("opsview", Set.of(Scope.SUBMIT));
    assertError(send("GET", "/v1/stats", writeOnly, null), 403, "forbidden");
    assertError(send("GET", "/v1/workers", null, null), 401, "unauthorized");
  }

  @Test
  void statsTimeTheTenantsJobsFinishedInTheWindowPerQueueAndType() throws Exception {
    String timed = issue("timed", Set.of(Scope.SUBMIT, Scope.READ));
    String other = issue("timed-other", Set.of(Scope.SUBMIT, Scope.READ));
    String sleep300 = """
        {"type": "sleep", "payload": {"ms": 300}}""";
    for (int i = 0; i < 3; i++) {
      send("POST", "/v1/jobs", timed, sleep300);
    }
    send("POST", "/v1/jobs", other, sleep300);
    String never = send("POST", "/v1/jobs", timed, "{\"type\":\"never\",\"delaySeconds\":3600}").body().get("id").asText();
    assertEquals(200, send("POST", "/v1/jobs/" + never + "/cancel", timed, null).status());

    Answer stats = awaitAnswer("/v1/stats", timed, a -> a.status() == 200 && finished(a, "sleep") == 3 && finished(a, "never") == 1);
    assertEquals("1h", stats.body().get("window").asText());
    JsonNode sleep = timing(stats, "sleep");
    assertEquals(List.of(3L, 0L, 0L, 0L, 1.0), List.of(sleep.get("completed").asLong(), sleep.get("failed").asLong(),
        sleep.get("cancelled").asLong(), sleep.get("expired").asLong(), sleep.get("successRate").asDouble()), sleep.toString());
    JsonNode run = sleep.get("runMs");
    assertTrue(run.get("p50").asLong() >= 300 && run.get("p50").asLong() <= run.get("p95").asLong()
        && run.get("p95").asLong() <= run.get("max").asLong() && run.get("max").asLong() < 30_000, run.toString());
    assertTrue(sleep.get("waitMs").get("max").asLong() >= 0, sleep.toString());
    JsonNode cancelled = timing(stats, "never");
    assertEquals(1, cancelled.get("cancelled").asLong());
    assertTrue(cancelled.get("waitMs").isNull() && cancelled.get("runMs").isNull() && cancelled.get("successRate").isNull(), cancelled.toString());
    assertEquals(1, finished(awaitAnswer("/v1/stats", other, a -> finished(a, "sleep") == 1), "sleep"), "each tenant times its own jobs");
    assertEquals(4, finished(send("GET", "/v1/stats", ADMIN_KEY, null), "sleep"), "an admin times every tenant's");

    assertEquals("15m", send("GET", "/v1/stats?window=15m", timed, null).body().get("window").asText());
    for (String bad : List.of("8d", "0h", "1w", "-1h", "1.5h", "h", "")) {
      Answer answer = send("GET", "/v1/stats?window=" + bad, timed, null);
      assertError(answer, 400, "invalid_request");
      assertEquals("window", answer.body().get("field").asText(), bad);
    }
  }

  /** The (default, type) entry of a stats answer's timings; null when there is none. */
  private static JsonNode timing(Answer stats, String type) {
    for (JsonNode timing : stats.body().get("timings")) {
      if (timing.get("queue").asText().equals("default") && timing.get("type").asText().equals(type)) {
        return timing;
      }
    }
    return null;
  }

  private static long finished(Answer stats, String type) {
    JsonNode timing = timing(stats, type);
    return timing == null ? 0 : timing.get("finished").asLong();
  }

  @Test
  void aBatchOfAThousandIsSubmittedItemByItemAndBadItemsFailAlone() throws Exception {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      jobs.add(switch (i) {
        case 10 -> """
            {"type": "noop", "priority": 42}""";
        case 20 -> """
            {"type": "noop", "surprise": true}""";
        default -> """
            {"type": "noop", "queue": "batch", "payload": {"n": %d}, "delaySeconds": 3600}""".formatted(i);
      });
    }
    Answer answer = send("POST", "/v1/jobs/batch", acme, """
        {"jobs": [%s]}""".formatted(String.join(",", jobs)));
    assertEquals(200, answer.status(), String.valueOf(answer.body()));
    JsonNode items = answer.body().get("items");
    assertEquals(1000, items.size());
    for (int i = 0; i < 1000; i++) {
      JsonNode item = items.get(i);
      assertEquals(i, item.get("index").asInt());
      if (i == 10 || i == 20) {
        assertEquals(400, item.get("status").asInt(), item.toString());
        assertEquals(i == 10 ? "priority" : "surprise", item.get("error").get("field").asText());
      } else {
        assertEquals(201, item.get("status").asInt(), item.toString());
        assertEquals(i, item.get("job").get("payload").get("n").asInt());
      }
    }
    assertError(send("POST", "/v1/jobs/batch", acme, "{\"jobs\":[]}"), 400, "invalid_request");
    assertError(send("POST", "/v1/jobs/batch", acmeReadOnly, """
        {"jobs": [{"type": "noop"}]}"""), 403, "forbidden");
  }

  @Test
  void anExternalWorkerLeasesOverHttpHeartbeatsPastItsLeaseAndCompletes() throws Exception {
    String worker = issue("acme", Set.of(Scope.WORK));
    String id = send("POST", "/v1/jobs", acme, """
        {"type": "transcode", "queue": "ext", "timeoutSeconds": 6, "payload": {"src": "a.mov"}}""").body().get("id").asText();

    Answer leased = send("POST", "/v1/queues/ext/lease", worker, """
        {"workerId": "py-worker-1", "max": 1, "waitSeconds": 10}""");
    assertEquals(200, leased.status(), String.valueOf(leased.body()));
    JsonNode job = leased.body().get("items").get(0);
    assertEquals(id, job.get("jobId").asText());
    assertEquals("transcode", job.get("type").asText());
    assertEquals("a.mov", job.get("payload").get("src").asText());
    assertEquals(1, job.get("attempt").asInt());
    String leaseId = job.get("leaseId").asText();
    Instant firstDeadline = Instant.parse(job.get("leaseExpiresAt").asText());

    // Seconds of margin either side, so a slow machine cannot move a call past a deadline.
    pauseUntil(firstDeadline.minusSeconds(3));
    Answer beat = send("POST", "/v1/jobs/" + id + "/heartbeat", worker, """
        {"leaseId": "%s", "progress": {"percent": 60}}""".formatted(leaseId));
    assertEquals(200, beat.status(), String.valueOf(beat.body()));
    assertTrue(Instant.parse(beat.body().get("leaseExpiresAt").asText()).isAfter(firstDeadline));
    pauseUntil(firstDeadline.plusSeconds(1));
    Answer done = send("POST", "/v1/jobs/" + id + "/complete", worker, """
        {"leaseId": "%s", "result": {"dst": "a.mp4"}}""".formatted(leaseId));
    assertEquals(200, done.status(), String.valueOf(done.body()));
    assertEquals("COMPLETED", done.body().get("status").asText());
    assertEquals("a.mp4", done.body().get("result").get("dst").asText());
    assertEquals(1, done.body().get("attempts").asInt(), "the heartbeat kept the first attempt alive");
  }

  @Test
  void anExternalWorkerMayDelayTheRetryWithRetryAfterSecondsAndABadValueChangesNothing() throws Exception {
    String worker = issue("acme", Set.of(Scope.WORK));
    String id = send("POST", "/v1/jobs", acme, """
        {"type": "transcode", "queue": "ext4", "backoff": {"initialSeconds": 1, "multiplier": 1, "maxSeconds": 1}}
        """).body().get("id").asText();
    String leaseId = send("POST", "/v1/queues/ext4/lease", worker, "{\"workerId\":\"w\",\"waitSeconds\":10}").body().get("items").get(0)
        .get("leaseId").asText();

    for (String bad : List.of("-1", "86401", "\"soon\"")) {
      Answer refused = send("POST", "/v1/jobs/" + id + "/fail", worker, """
          {"leaseId": "%s", "error": "busy", "retryAfterSeconds": %s}""".formatted(leaseId, bad));
      assertEquals(400, refused.status(), String.valueOf(refused.body()));
      assertEquals("invalid_request", refused.body().get("error").asText());
    }
    assertEquals("RUNNING", send("GET", "/v1/jobs/" + id, acme, null).body().get("status").asText(), "the refusals changed nothing");

    Instant before = Instant.now();
    Answer failed = send("POST", "/v1/jobs/" + id + "/fail", worker, """
        {"leaseId": "%s", "error": "downstream busy", "retryAfterSeconds": 600}""".formatted(leaseId));
    assertEquals(200, failed.status(), String.valueOf(failed.body()));
    assertEquals("RETRYING", failed.body().get("status").asText());
    Instant runAt = Instant.parse(failed.body().get("runAt").asText());
    assertFalse(runAt.isBefore(before.plusSeconds(600)), runAt + " is 600 s after " + before + " at the earliest");
  }

  @Test
  void aWorkerWhoseLeaseRanOutIsRefusedOnceAnotherWorkerHasTheJob() throws Exception {
    String worker = issue("acme", Set.of(Scope.WORK));
    String id = send("POST", "/v1/jobs", acme, """
        {
          "type": "transcode",
          "queue": "ext2",
          "timeoutSeconds": 5,
          "backoff": {"initialSeconds": 0.2, "multiplier": 1, "maxSeconds": 0.2}
        }
        """).body().get("id").asText();
    String first = send("POST", "/v1/queues/ext2/lease", worker, "{\"workerId\":\"slow\",\"waitSeconds\":10}").body().get("items").get(0)
        .get("leaseId").asText();
    Answer again = send("POST", "/v1/queues/ext2/lease", worker, "{\"workerId\":\"fast\",\"waitSeconds\":15}");
    JsonNode second = again.body().get("items").get(0);
    assertEquals(id, second.get("jobId").asText());
    assertEquals(2, second.get("attempt").asInt());

    String staleLease = """
        {"leaseId": "%s"}""".formatted(first);
    Answer stale = send("POST", "/v1/jobs/" + id + "/complete", worker, staleLease);
    assertEquals(409, stale.status(), String.valueOf(stale.body()));
    assertEquals("stale_lease", stale.body().get("error").asText());
    assertEquals(409, send("POST", "/v1/jobs/" + id + "/heartbeat", worker, staleLease).status());
    Answer failed = send("POST", "/v1/jobs/" + id + "/fail", worker, """
        {"leaseId": "%s", "error": "codec missing", "retryable": false}""".formatted(second.get("leaseId").asText()));
    assertEquals("FAILED", failed.body().get("status").asText(), String.valueOf(failed.body()));
    assertEquals("codec missing", failed.body().get("lastError").asText());
  }

  @Test
  void externalWorkersGetOnlyTheirTenantsJobsAndBadLeaseRequestsAreRefused() throws Exception {
    send("POST", "/v1/jobs", acme, "{\"type\":\"transcode\",\"queue\":\"ext3\"}");
    String otherWorker = issue("globex", Set.of(Scope.WORK));
    Answer nothing = send("POST", "/v1/queues/ext3/lease", otherWorker, """
        {"workerId": "g1", "max": 5, "waitSeconds": 1}""");
    assertEquals(200, nothing.status());
    assertEquals(0, nothing.body().get("items").size(), "another tenant's worker gets nothing");
    Answer mine = send("POST", "/v1/queues/ext3/lease", issue("acme", Set.of(Scope.WORK)), "{\"workerId\":\"a1\",\"waitSeconds\":10}");
    assertEquals(1, mine.body().get("items").size());

    assertError(send("POST", "/v1/queues/ext3/lease", acme, "{\"workerId\":\"a1\"}"), 403, "forbidden");
    String worker = issue("acme", Set.of(Scope.WORK));
    assertError(send("POST", "/v1/queues/ext3/lease", worker, "{\"max\":1}"), 400, "invalid_request");
    assertError(send("POST", "/v1/queues/ext3/lease", worker, "{\"workerId\":\"a1\",\"max\":0}"), 400, "invalid_request");
    assertError(send("POST", "/v1/queues/ext3/lease", worker, "{\"workerId\":\"a1\",\"waitSeconds\":31}"), 400, "invalid_request");
    assertError(send("POST", "/v1/queues/Bad!/lease", worker, "{\"workerId\":\"a1\"}"), 400, "invalid_request");
    assertError(send("POST", "/v1/jobs/" + UUID.randomUUID() + "/complete", worker, "{}"), 400, "invalid_request");
  }

  /** Waits for the clock (lease deadlines are wall-clock instants), not for another thread. */
  private static void pauseUntil(Instant instant) {
    long millis = Duration.between(Instant.now(), instant).toMillis();
    if (millis > 0) {
      CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS)).join();
    }
  }

  @Test
  void aRequestTooMalformedForTheRoutesStillGetsAJsonError() throws Exception {
    // Over a plain socket: java.net.http refuses to send such a target.
    Answer answer = http.sendBytes("GET /v1/jobs?cursor=%%% HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals("HTTP/1.1", answer.protocol());
    assertError(answer, 400, "invalid_request");
  }

  @Test
  void badInputGetsAClearJsonErrorAndChangesNothing() throws Exception {
    // A tenant of its own, so that no other test's jobs show up in its listing.
    String acme = issue("badinput", Set.of(Scope.SUBMIT, Scope.READ));

    assertError(send("POST", "/v1/jobs", acme, "{\"type\":"), 400, "invalid_request");
    Answer unknown = send("POST", "/v1/jobs", acme, "{\"type\":\"noop\",\"colour\":\"red\"}");
    assertError(unknown, 400, "invalid_request");
    assertEquals("colour", unknown.body().get("field").asText());
    Answer wrongType = send("POST", "/v1/jobs", acme, "{\"type\":\"noop\",\"priority\":\"high\"}");
    assertError(wrongType, 400, "invalid_request");
    assertEquals("priority", wrongType.body().get("field").asText());
    Answer outOfRange = send("POST", "/v1/jobs", acme, "{\"type\":\"noop\",\"priority\":10}");
    assertEquals("priority", outOfRange.body().get("field").asText());
    assertError(send("POST", "/v1/jobs", acme, "{\"type\":\"noop\",\"priority\":99999999999999999999999}"), 400, "invalid_request");
    assertError(send("POST", "/v1/jobs", acme, """
        {"type": "noop", "payload": %s}""".formatted("[".repeat(200) + "]".repeat(200))), 400, "invalid_request");
    assertError(send("POST", "/v1/jobs", acme, "[1,2]"), 400, "invalid_request");
    assertError(send("POST", "/v1/jobs", acme, "{\"type\":\"noop\"} trailing"), 400, "invalid_request");
    assertError(send("POST", "/v1/jobs", acme, """
        {"type": "noop", "backoff": {"initialSeconds": -1, "multiplier": 2, "maxSeconds": 5}}"""), 400, "invalid_request");
    assertError(send("POST", "/v1/jobs", acme, """
        {"type": "noop", "payload": "%s"}""".formatted("x".repeat(5000))), 413, "payload_too_large");
    assertError(send("POST", "/v1/jobs", acme, "type=noop", "Content-Type", "text/plain"), 415, "unsupported_media_type");
    assertError(send("GET", "/v1/jobs/not-a-job-id", acme, null), 404, "not_found");
    assertError(send("GET", "/v1/jobs?status=DONE", acme, null), 400, "invalid_request");
    for (String limit : List.of("0", "1001", "abc")) {
      Answer badLimit = send("GET", "/v1/jobs?limit=" + limit, acme, null);
      assertError(badLimit, 400, "invalid_request");
      assertEquals("limit", badLimit.body().get("field").asText(), limit);
      assertEquals("limit: must be a whole number from 1 to 1000", badLimit.body().get("message").asText(), "one message for every bad limit: " + limit);
    }
    assertError(send("GET", "/v1/jobs?cursor=bm90LWEtY3Vyc29y", acme, null), 400, "invalid_request");
    assertError(send("GET", "/v1/nothing-here", acme, null), 404, "not_found");
    assertError(send("PUT", "/v1/jobs", acme, "{}"), 405, "method_not_allowed");
    assertEquals(List.of("GET", "POST"), Stream.of(send("PUT", "/v1/jobs", acme, "{}").headers().firstValue("Allow").orElse("").split(", "))
        .sorted().toList(), "a 405 names the methods the path takes");

    // Once a valid job submitted last is listed, anything the refused requests had created would be too.
    String marker = send("POST", "/v1/jobs", acme, "{\"type\":\"noop\",\"delaySeconds\":3600}").body().get("id").asText();
    Answer after = awaitAnswer("/v1/jobs?limit=1000", acme, a -> a.status() == 200 && a.body().get("items").findValuesAsText("id").contains(marker));
    assertEquals(List.of(marker), after.body().get("items").findValuesAsText("id"), "no refused request created a job");
    assertEquals(200, send("GET", "/health/ready", null, null).status(), "the node stays healthy");
  }
}
