package io.jobcluster.protocol.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobcluster.protocol.BackoffPolicy;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.wire.IssuedKey;
import io.jobcluster.protocol.wire.JobPage;
import io.jobcluster.protocol.wire.JobTransition;
import io.jobcluster.protocol.wire.KeyInfo;
import io.jobcluster.protocol.wire.DispatcherInfo;
import io.jobcluster.protocol.wire.DispatcherPool;
import io.jobcluster.protocol.wire.QueueInfo;
import io.jobcluster.protocol.wire.Readiness;
import io.jobcluster.protocol.wire.Stats;
import io.jobcluster.protocol.wire.WorkerInfo;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted local HTTP server: what it sends, how it reads answers and errors. */
class JobclusterClientTest {
  private static final String KEY = "jc_0123456789abcdef_secretsecretsecretsecretsecret";
  private static final String ID = "7d0d3b8e-6a3c-4c55-9a39-1f6f1f3c2b10";
  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeApi api;
  private JobclusterClient client;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi();
    client = api.client(KEY);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** A job as the server writes it: payload, result and progress are JSON values. */
  private static String jobJson(String status, String payload, String result) {
    return """
        {
          "id": "%s",
          "queue": "default",
          "type": "sleep",
          "status": "%s",
          "priority": 7,
          "payload": %s,
          "attempts": 1,
          "maxAttempts": 3,
          "createdAt": "2025-01-02T03:04:05.123456Z",
          "updatedAt": "2025-01-02T03:04:06Z",
          "runAt": null,
          "startedAt": "2025-01-02T03:04:05.5Z",
          "finishedAt": null,
          "workerId": "node-1/default",
          "leaseExpiresAt": "2025-01-02T03:09:05Z",
          "lastError": null,
          "result": %s,
          "progress": {"percent": 50},
          "tags": ["a", "b"],
          "someFutureField": true
        }""".formatted(ID, status, payload, result);
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void submitSendsTheRequestAsJsonWithThePayloadAsAValueAndTheKeyAsBearer() throws Exception {
    api.answer(201, jobJson("PENDING", "{\"ms\":5}", "null"), "Location", "/v1/jobs/" + ID);
    JobRequest request = JobRequest.of("sleep").withPayload("{\"ms\":5}").withPriority(7).withMaxAttempts(3)
        .withBackoff(BackoffPolicy.exponential(0.5, 2, 10)).withRunAt(Instant.parse("2030-01-01T00:00:00Z")).withTags(List.of("a", "b"));

    Submission submitted = client.submit(request, "order-42");

    FakeApi.Seen seen = api.last();
    assertEquals("POST", seen.method());
    assertEquals("/v1/jobs", seen.pathAndQuery());
    assertEquals("Bearer " + KEY, seen.header("Authorization"));
    assertEquals("application/json", seen.header("Content-Type"));
    assertEquals("order-42", seen.header("Idempotency-Key"));
    assertEquals(json("""
        {
          "type": "sleep",
          "payload": {"ms": 5},
          "priority": 7,
          "maxAttempts": 3,
          "backoff": {"initialSeconds": 0.5, "multiplier": 2.0, "maxSeconds": 10.0},
          "runAt": "2030-01-01T00:00:00Z",
          "tags": ["a", "b"]
        }"""),
        json(seen.body()), "no null fields, payload as JSON, times as ISO-8601");

    assertTrue(submitted.created());
    JobView job = submitted.job();
    assertEquals(ID, job.id());
    assertEquals(JobStatus.PENDING, job.status());
    assertEquals("{\"ms\":5}", job.payload());
    assertEquals("{\"percent\":50}", job.progress());
    assertNull(job.result());
    assertNull(job.runAt());
    assertEquals(Instant.parse("2025-01-02T03:04:05.123456Z"), job.createdAt());
    assertEquals(List.of("a", "b"), job.tags());
    assertEquals(7, job.priority());
  }

  @Test
  void aRepeatedSubmissionIsNotCreatedAndAKeyInTheBodyNeedsNoHeader() throws Exception {
    api.answer(200, jobJson("COMPLETED", "null", "{\"attempt\":1}"));
    Submission again = client.submit(JobRequest.of("noop").withIdempotencyKey("k-1"));
    assertFalse(again.created());
    assertEquals("{\"attempt\":1}", again.job().result());
    assertNull(again.job().payload());
    assertNull(api.last().header("Idempotency-Key"));
    assertEquals(json("{\"type\":\"noop\",\"idempotencyKey\":\"k-1\"}"), json(api.last().body()));
  }

  @Test
  void aPayloadThatIsNotJsonIsRefusedBeforeAnythingIsSent() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.submit(JobRequest.of("noop").withPayload("{oops")));
    assertTrue(e.getMessage().startsWith("payload is not valid JSON"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> client.submit(JobRequest.of("noop").withPayload(" ")));
    assertThrows(IllegalArgumentException.class, () -> client.complete(ID, "lease-1", "[1,"));
    assertEquals(0, api.requests());
  }

  @Test
  void aBatchSendsAllJobsAndReadsOneResultPerItem() throws Exception {
    api.answer(200, """
        {"items": [
          {"index": 0, "status": 201, "job": %s},
          {"index": 1, "status": 400, "error": {"error": "invalid_request", "message": "priority: must be 0..9", "field": "priority"}},
          {"index": 2, "status": 200, "job": %s}
        ]}""".formatted(jobJson("PENDING", "{\"n\":0}", "null"), jobJson("RUNNING", "{\"n\":2}", "null")));

    List<BatchItem> items = client.submitBatch(List.of(JobRequest.of("noop").withPayload("{\"n\":0}"), JobRequest.of("noop").withPriority(42),
        JobRequest.of("noop").withQueue("media")));

    assertEquals("/v1/jobs/batch", api.last().pathAndQuery());
    assertEquals(json("""
        {"jobs": [{"type": "noop", "payload": {"n": 0}}, {"type": "noop", "priority": 42}, {"type": "noop", "queue": "media"}]}
        """), json(api.last().body()));
    assertEquals(3, items.size());
    assertTrue(items.get(0).created());
    assertTrue(items.get(0).accepted());
    assertEquals("{\"n\":0}", items.get(0).job().payload());
    assertFalse(items.get(1).accepted());
    assertEquals("priority", items.get(1).error().field());
    assertEquals("invalid_request", items.get(1).error().error());
    assertTrue(items.get(2).accepted());
    assertFalse(items.get(2).created());
  }

  @Test
  void submitAsyncSendsWhatSubmitSendsAndCompletesWithTheSubmission() throws Exception {
    api.answer(201, jobJson("PENDING", "{\"ms\":5}", "null"));
    Submission submitted = client.submitAsync(JobRequest.of("sleep").withPayload("{\"ms\":5}"), "order-43").get(10, TimeUnit.SECONDS);

    assertTrue(submitted.created());
    assertEquals(ID, submitted.job().id());
    FakeApi.Seen seen = api.last();
    assertEquals("POST /v1/jobs", seen.method() + " " + seen.pathAndQuery());
    assertEquals("Bearer " + KEY, seen.header("Authorization"));
    assertEquals("order-43", seen.header("Idempotency-Key"));
    assertEquals(json("""
        {"type": "sleep", "payload": {"ms": 5}}"""), json(seen.body()));

    api.answer(200, jobJson("PENDING", "{}", "null"));
    assertFalse(client.submitAsync(JobRequest.of("noop")).get(10, TimeUnit.SECONDS).created());
    assertNull(api.last().header("Idempotency-Key"));
  }

  @Test
  void submitAsyncReturnsBeforeTheAnswerComes() throws Exception {
    api.answerAfter(Duration.ofSeconds(2), 201, jobJson("PENDING", "{}", "null"));
    CompletableFuture<Submission> pending = client.submitAsync(JobRequest.of("noop"));
    assertFalse(pending.isDone(), "the answer is held for 2 s by the server");
    assertEquals(ID, pending.get(10, TimeUnit.SECONDS).job().id());
  }

  @Test
  void submitBatchAsyncReadsOneItemPerJob() throws Exception {
    api.answer(200, """
        {"items": [
          {"index": 0, "status": 201, "job": %s},
          {"index": 1, "status": 429, "error": {"error": "rate_limited", "message": "slow down"}}
        ]}""".formatted(jobJson("PENDING", "null", "null")));
    List<BatchItem> items = client.submitBatchAsync(List.of(JobRequest.of("noop"), JobRequest.of("noop"))).get(10, TimeUnit.SECONDS);
    assertEquals("POST /v1/jobs/batch", api.last().method() + " " + api.last().pathAndQuery());
    assertEquals(json("""
        {"jobs": [{"type": "noop"}, {"type": "noop"}]}"""), json(api.last().body()));
    assertTrue(items.get(0).created());
    assertEquals("rate_limited", items.get(1).error().error());
  }

  @Test
  void anAsyncSubmissionFailsAsTheBlockingOneThrows() {
    api.answer(503, "{\"error\":\"unavailable\",\"message\":\"overloaded\"}", "Retry-After", "1");
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> client.submitAsync(JobRequest.of("noop")).get(10, TimeUnit.SECONDS));
    JobclusterApiException api503 = assertInstanceOf(JobclusterApiException.class, refused.getCause());
    assertEquals(503, api503.status());
    assertEquals(Optional.of(Duration.ofSeconds(1)), api503.retryAfter());

    api.answer(200, "not json");
    ExecutionException unreadable = assertThrows(ExecutionException.class,
        () -> client.submitBatchAsync(List.of(JobRequest.of("noop"))).get(10, TimeUnit.SECONDS));
    assertInstanceOf(UncheckedIOException.class, unreadable.getCause());

    api.close();
    ExecutionException down = assertThrows(ExecutionException.class,
        () -> client.submitAsync(JobRequest.of("noop")).get(10, TimeUnit.SECONDS));
    UncheckedIOException io = assertInstanceOf(UncheckedIOException.class, down.getCause());
    assertTrue(io.getMessage().startsWith("POST /v1/jobs failed"), io.getMessage());
    assertFalse(io.getMessage().contains(KEY));
    assertThrows(IllegalArgumentException.class, () -> client.submitAsync(JobRequest.of("noop").withPayload("{oops")),
        "a payload that is not JSON is refused before anything is sent, as by submit");
  }

  @Test
  void singleJobCallsUseTheirMethodAndPath() throws Exception {
    api.answer(200, jobJson("RUNNING", "{}", "null"));
    assertEquals(JobStatus.RUNNING, client.get(ID).status());
    assertEquals("GET /v1/jobs/" + ID, api.last().method() + " " + api.last().pathAndQuery());
    assertNull(api.last().header("Content-Type"), "no body, no content type");
    assertEquals("application/json", api.last().header("Accept"));

    api.answer(200, jobJson("CANCELLED", "{}", "null"));
    assertEquals(JobStatus.CANCELLED, client.cancel(ID).status());
    assertEquals("POST /v1/jobs/" + ID + "/cancel", api.last().method() + " " + api.last().pathAndQuery());
    assertEquals("", api.last().body());

    api.answer(200, jobJson("PENDING", "{}", "null"));
    assertEquals(JobStatus.PENDING, client.retry(ID).status());
    assertEquals("POST /v1/jobs/" + ID + "/retry", api.last().method() + " " + api.last().pathAndQuery());

    api.answer(204, null);
    client.delete(ID);
    assertEquals("DELETE /v1/jobs/" + ID, api.last().method() + " " + api.last().pathAndQuery());

    api.answer(200, """
        {"items": [
          {
            "jobId": "%s",
            "seqNr": 1,
            "at": "2025-01-02T03:04:05Z",
            "from": null,
            "to": "PENDING",
            "attempt": 0,
            "workerId": null,
            "node": null,
            "detail": null
          },
          {
            "jobId": "%s",
            "seqNr": 2,
            "at": "2025-01-02T03:04:06Z",
            "from": "PENDING",
            "to": "RUNNING",
            "attempt": 1,
            "workerId": "w",
            "node": "n",
            "detail": "lease until x"
          }
        ]}""".formatted(ID, ID));
    List<JobTransition> history = client.history(ID);
    assertEquals("GET /v1/jobs/" + ID + "/history", api.last().method() + " " + api.last().pathAndQuery());
    assertEquals(2, history.size());
    assertNull(history.get(0).from());
    assertEquals(JobStatus.RUNNING, history.get(1).to());
    assertEquals("w", history.get(1).workerId());
    assertEquals(Instant.parse("2025-01-02T03:04:06Z"), history.get(1).at());
  }

  @Test
  void anIdCannotChangeThePathAndABasePathPrefixIsKept() throws Exception {
    JobclusterClient behindProxy = JobclusterClient.builder().baseUri(URI.create(api.uri() + "/jobcluster/")).apiKey(KEY).build();
    api.answer(404, "{\"error\":\"not_found\",\"message\":\"no job with that id\"}");
    assertThrows(JobclusterApiException.class, () -> behindProxy.get("../admin/keys?x=1 2"));
    assertEquals("/jobcluster/v1/jobs/..%2Fadmin%2Fkeys%3Fx%3D1%202", api.last().pathAndQuery());
  }

  @Test
  void listPutsOnlyTheGivenFiltersIntoTheQueryAndReadsThePage() throws Exception {
    api.answer(200, """
        {
          "items": [
            {
              "id": "%s",
              "tenant": "acme",
              "queue": "q",
              "type": "noop",
              "status": "COMPLETED",
              "priority": 5,
              "attempts": 1,
              "maxAttempts": 3,
              "createdAt": "2025-01-02T03:04:05Z",
              "updatedAt": "2025-01-02T03:04:05Z",
              "tags": []
            }
          ],
          "nextCursor": "abc+/="
        }""".formatted(ID));
    JobPage page = client.list(ListQuery.all().withStatus(JobStatus.COMPLETED).withQueue("q").withType("noop").withLimit(1)
        .withCursor("c+/ d"));
    assertEquals("/v1/jobs?status=COMPLETED&queue=q&type=noop&limit=1&cursor=c%2B%2F%20d", api.last().pathAndQuery());
    assertEquals(1, page.items().size());
    assertEquals("acme", page.items().get(0).tenant());
    assertEquals(JobStatus.COMPLETED, page.items().get(0).status());
    assertEquals("abc+/=", page.nextCursor());
    assertTrue(page.hasMore());

    api.answer(200, "{\"items\":[],\"nextCursor\":null}");
    JobPage last = client.list(ListQuery.all());
    assertEquals("/v1/jobs", api.last().pathAndQuery());
    assertFalse(last.hasMore());
    assertTrue(last.items().isEmpty());
  }

  @Test
  void statsQueuesAndWorkersAreRead() {
    api.answer(200, """
        {"total": 3, "byStatus": {"COMPLETED": 2, "FAILED": 1, "PAUSED": 4}, "successRate": 0.6666}""");
    Stats stats = client.stats();
    assertEquals("/v1/stats", api.last().pathAndQuery());
    assertEquals(3, stats.total());
    assertEquals(2, stats.count(JobStatus.COMPLETED));
    assertEquals(0, stats.count(JobStatus.RUNNING));
    assertEquals(2, stats.byStatus().size(), "a status this client does not know is left out");
    assertEquals(0.6666, stats.successRate());

    api.answer(200, """
        {"total": 0, "byStatus": {}, "successRate": null, "window": "15m", "timings": []}""");
    assertEquals("15m", client.stats("15m").window());
    assertEquals("/v1/stats?window=15m", api.last().pathAndQuery());

    api.answer(200, """
        {"items": [
          {
            "queue": "default",
            "pending": 4,
            "scheduled": 1,
            "running": 2,
            "retrying": 0,
            "oldestPendingAgeSeconds": 12,
            "workers": 1,
            "capacity": 8,
            "unroutable": 2,
            "unroutableTypes": ["ocr"]
          }
        ]}""");
    QueueInfo queue = client.queues().get(0);
    assertEquals("/v1/queues", api.last().pathAndQuery());
    assertEquals(new QueueInfo("default", 4, 1, 2, 0, 12L, 1, 8, 2, List.of("ocr")), queue);

    api.answer(200, """
        {"items": [{"id": "pekko://x/default", "node": "n1", "queues": ["default"], "capacity": 8, "inFlight": 3, "draining": false,
                    "types": ["noop", "sleep"]}]}
        """);
    assertEquals(List.of(new WorkerInfo("pekko://x/default", "n1", List.of("default"), 8, 3, false, List.of("noop", "sleep"))), client.workers());
    assertEquals("/v1/workers", api.last().pathAndQuery());

    api.answer(200, """
        {"queue": "media", "node": "127.0.0.1:25520#7", "ready": 3, "leasing": 1,
         "pools": [{"workerId": "127.0.0.1:25520#7/media", "node": "127.0.0.1:25520#7", "freeSlots": 2, "leases": 4, "leaving": false,
                    "types": ["convert"]}],
         "routedTypes": ["convert"], "unroutable": 1}
        """);
    assertEquals(new DispatcherInfo("media", "127.0.0.1:25520#7", 3, 1,
        List.of(new DispatcherPool("127.0.0.1:25520#7/media", "127.0.0.1:25520#7", 2, 4, false, List.of("convert"))), List.of("convert"), 1),
        client.dispatcher("media"));
    assertEquals("/v1/queues/media/dispatcher", api.last().pathAndQuery());
  }

  @Test
  void anExternalWorkerLeasesHeartbeatsCompletesAndFails() throws Exception {
    api.answer(200, """
        {"items": [
          {
            "jobId": "%s",
            "attempt": 2,
            "leaseId": "lease-1",
            "type": "transcode",
            "payload": {"src": "a.mov"},
            "leaseExpiresAt": "2025-01-02T03:09:05Z"
          }
        ]}""".formatted(ID));
    List<LeasedJob> leased = client.lease("media", "py-1", 5, 20);
    assertEquals("POST /v1/queues/media/lease", api.last().method() + " " + api.last().pathAndQuery());
    assertEquals(json("""
        {"workerId": "py-1", "max": 5, "waitSeconds": 20}"""), json(api.last().body()));
    assertEquals(List.of(new LeasedJob(ID, 2, "lease-1", "transcode", "{\"src\":\"a.mov\"}", Instant.parse("2025-01-02T03:09:05Z"))), leased);

    api.answer(200, "{\"items\": []}");
    assertTrue(client.lease("media", "py-1", 5, 20, List.of("transcode", "thumbnail")).isEmpty());
    assertEquals(json("""
        {"workerId": "py-1", "max": 5, "waitSeconds": 20, "types": ["transcode", "thumbnail"]}"""), json(api.last().body()));

    api.answer(200, jobJson("RUNNING", "{}", "null"));
    client.heartbeat(ID, "lease-1", "{\"percent\":50}");
    assertEquals("POST /v1/jobs/" + ID + "/heartbeat", api.last().method() + " " + api.last().pathAndQuery());
    assertEquals(json("""
        {"leaseId": "lease-1", "progress": {"percent": 50}}"""), json(api.last().body()));

    api.answer(200, jobJson("RUNNING", "{}", "null"));
    client.heartbeat(ID, "lease-1", null);
    assertEquals(json("{\"leaseId\":\"lease-1\"}"), json(api.last().body()));

    api.answer(200, jobJson("COMPLETED", "{}", "{\"dst\":\"a.mp4\"}"));
    assertEquals("{\"dst\":\"a.mp4\"}", client.complete(ID, "lease-1", "{\"dst\":\"a.mp4\"}").result());
    assertEquals("/v1/jobs/" + ID + "/complete", api.last().pathAndQuery());
    assertEquals(json("""
        {"leaseId": "lease-1", "result": {"dst": "a.mp4"}}"""), json(api.last().body()));

    api.answer(200, jobJson("FAILED", "{}", "null"));
    assertEquals(JobStatus.FAILED, client.fail(ID, "lease-1", "codec missing", false).status());
    assertEquals("/v1/jobs/" + ID + "/fail", api.last().pathAndQuery());
    assertEquals(json("""
        {"leaseId": "lease-1", "error": "codec missing", "retryable": false}"""), json(api.last().body()));

    api.answer(200, jobJson("RETRYING", "{}", "null"));
    assertEquals(JobStatus.RETRYING, client.fail(ID, "lease-1", "storage answered 503", Duration.ofMinutes(2)).status());
    assertEquals(json("""
        {"leaseId": "lease-1", "error": "storage answered 503", "retryable": true, "retryAfterSeconds": 120}"""), json(api.last().body()));
  }

  @Test
  void aLongPollWaitsLongerThanTheRequestTimeoutButOtherCallsDoNot() {
    JobclusterClient impatient = JobclusterClient.builder().baseUri(api.uri()).apiKey(KEY).requestTimeout(Duration.ofMillis(300)).build();
    api.answerAfter(Duration.ofMillis(1200), 200, "{\"items\":[]}");
    assertTrue(impatient.lease("default", "w-1", 1, 2).isEmpty(), "the lease waits its window plus a margin");

    api.answerAfter(Duration.ofMillis(1200), 200, jobJson("PENDING", "{}", "null"));
    UncheckedIOException timedOut = assertThrows(UncheckedIOException.class, () -> impatient.get(ID));
    assertTrue(timedOut.getCause() instanceof HttpTimeoutException, String.valueOf(timedOut.getCause()));
    assertFalse(timedOut.getMessage().contains(KEY));
  }

  @Test
  void adminCallsIssueListAndRevokeKeysAndAnIssuedKeyDoesNotPrintItsSecret() throws Exception {
    api.answer(201, """
        {"keyId": "0123456789abcdef", "tenant": "acme", "scopes": ["read", "submit"], "key": "%s", "createdAt": "2025-01-02T03:04:05Z"}
        """.formatted(KEY));
    IssuedKey issued = client.issueKey("acme", List.of("submit", "read"), "etl");
    assertEquals("POST /v1/admin/keys", api.last().method() + " " + api.last().pathAndQuery());
    assertEquals(json("""
        {"tenant": "acme", "scopes": ["submit", "read"], "description": "etl"}"""), json(api.last().body()));
    assertEquals(KEY, issued.key());
    assertEquals(List.of("read", "submit"), issued.scopes());
    assertFalse(issued.toString().contains(KEY), issued.toString());
    assertTrue(issued.toString().contains("0123456789abcdef"));

    api.answer(201, """
        {"keyId": "1", "tenant": "acme", "scopes": ["read"], "key": "k", "createdAt": "2025-01-02T03:04:05Z"}""");
    client.issueKey("acme", List.of("read"), null);
    assertEquals(json("{\"tenant\":\"acme\",\"scopes\":[\"read\"]}"), json(api.last().body()));

    api.answer(200, """
        {"items": [
          {
            "keyId": "0123456789abcdef",
            "tenant": "a b",
            "scopes": ["read"],
            "description": null,
            "createdAt": "2025-01-02T03:04:05Z",
            "revokedAt": null
          }
        ]}""");
    List<KeyInfo> keys = client.listKeys("a b");
    assertEquals("GET /v1/admin/keys?tenant=a%20b", api.last().method() + " " + api.last().pathAndQuery());
    assertEquals(new KeyInfo("0123456789abcdef", "a b", List.of("read"), null, Instant.parse("2025-01-02T03:04:05Z"), null), keys.get(0));

    api.answer(200, "{\"items\": []}");
    assertTrue(client.listKeys().isEmpty());
    assertEquals("GET /v1/admin/keys", api.last().method() + " " + api.last().pathAndQuery(), "no tenant: the caller's own");

    api.answer(201, """
        {"keyId": "2", "tenant": "acme", "scopes": ["work"], "key": "k", "createdAt": "2025-01-02T03:04:05Z"}""");
    client.issueKey(null, List.of("work"), null);
    assertEquals(json("{\"scopes\":[\"work\"]}"), json(api.last().body()), "no tenant: the caller's own");

    api.answer(204, null);
    client.revokeKey("0123456789abcdef");
    assertEquals("DELETE /v1/admin/keys/0123456789abcdef", api.last().method() + " " + api.last().pathAndQuery());
  }

  @Test
  void healthAnswersAreReadAndANodeThatIsNotReadyIsNoError() {
    JobclusterClient anonymous = JobclusterClient.builder().baseUri(api.uri()).build();
    api.answer(200, "{\"status\":\"live\"}");
    assertTrue(anonymous.live());
    assertEquals("/health/live", api.last().pathAndQuery());
    assertNull(api.last().header("Authorization"), "no key, no header");

    api.answer(503, """
        {"status": "not_ready", "members": 0, "clusterJoined": false, "shardingStarted": false, "databaseReachable": true}""");
    Readiness notReady = anonymous.ready();
    assertFalse(notReady.isReady());
    assertTrue(notReady.databaseReachable());
    assertEquals("/health/ready", api.last().pathAndQuery());

    api.answer(200, """
        {"status": "ready", "members": 3, "clusterJoined": true, "shardingStarted": true, "databaseReachable": true}""");
    assertEquals(new Readiness("ready", 3, true, true, true), anonymous.ready());

    api.answer(500, "oops", "Content-Type", "text/plain");
    assertFalse(anonymous.live());
    api.answer(500, "oops", "Content-Type", "text/plain");
    assertEquals(500, assertThrows(JobclusterApiException.class, anonymous::ready).status());
  }

  @Test
  void anInvalidTransitionCarriesItsCodeAndStatuses() {
    api.answer(409, """
        {"error": "invalid_transition", "message": "job is CANCELLED", "from": "CANCELLED", "to": "CANCELLED"}""");
    JobclusterApiException e = assertThrows(JobclusterApiException.class, () -> client.cancel(ID));
    assertEquals(409, e.status());
    assertEquals("invalid_transition", e.error());
    assertEquals(Optional.of(ErrorCode.INVALID_TRANSITION), e.errorCode());
    assertEquals("job is CANCELLED", e.apiMessage());
    assertEquals(Optional.of(JobStatus.CANCELLED), e.from());
    assertEquals(Optional.of(JobStatus.CANCELLED), e.to());
    assertEquals(Optional.empty(), e.field());
    assertEquals(Optional.empty(), e.retryAfter());
    assertEquals("409 invalid_transition: job is CANCELLED (from CANCELLED to CANCELLED)", e.getMessage());
  }

  @Test
  void badInputNamesItsField() {
    api.answer(400, """
        {"error": "invalid_request", "message": "priority: must be between 0 and 9", "field": "priority"}""");
    JobclusterApiException e = assertThrows(JobclusterApiException.class, () -> client.submit(JobRequest.of("noop").withPriority(10)));
    assertEquals(Optional.of("priority"), e.field());
    assertEquals("400 invalid_request: priority: must be between 0 and 9 (field priority)", e.getMessage());
    assertEquals("priority", e.apiError().field());
  }

  @Test
  void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
    api.answer(503, "{\"error\":\"unavailable\",\"message\":\"try again\"}", "Retry-After", "2");
    JobclusterApiException unavailable = assertThrows(JobclusterApiException.class, client::stats);
    assertEquals(Optional.of(Duration.ofSeconds(2)), unavailable.retryAfter());
    assertEquals(Optional.of(ErrorCode.UNAVAILABLE), unavailable.errorCode());

    String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(60).atOffset(ZoneOffset.UTC));
    api.answer(429, "{\"error\":\"rate_limited\",\"message\":\"slow down\"}", "Retry-After", inAMinute);
    Duration wait = assertThrows(JobclusterApiException.class, client::stats).retryAfter().orElseThrow();
    assertTrue(wait.compareTo(Duration.ofSeconds(50)) > 0 && wait.compareTo(Duration.ofSeconds(61)) < 0, wait.toString());

    assertEquals(Duration.ZERO, JobclusterClient.retryAfter("Mon, 01 Jan 2001 00:00:00 GMT"), "a date gone by means now");
    assertNull(JobclusterClient.retryAfter("soon"));
    assertNull(JobclusterClient.retryAfter(" "));
  }

  @Test
  void anAnswerWithoutTheApiErrorShapeStillThrowsWithItsStatus() {
    api.answer(502, "<html>bad gateway</html>", "Content-Type", "text/html");
    JobclusterApiException e = assertThrows(JobclusterApiException.class, () -> client.get(ID));
    assertEquals(502, e.status());
    assertEquals("http_502", e.error());
    assertEquals(Optional.empty(), e.errorCode());

    api.answer(200, "not json");
    UncheckedIOException unreadable = assertThrows(UncheckedIOException.class, () -> client.get(ID));
    assertTrue(unreadable.getMessage().contains("could not be read"), unreadable.getMessage());
  }

  @Test
  void theKeyNeverAppearsInErrors() {
    api.answer(401, "{\"error\":\"unauthorized\",\"message\":\"unknown API key\"}");
    JobclusterApiException e = assertThrows(JobclusterApiException.class, () -> client.get(ID));
    assertEquals(Optional.of(ErrorCode.UNAUTHORIZED), e.errorCode());
    assertFalse(e.getMessage().contains(KEY));
    assertFalse(client.toString().contains(KEY));

    api.close();
    UncheckedIOException down = assertThrows(UncheckedIOException.class, () -> client.get(ID));
    assertFalse(down.getMessage().contains(KEY), down.getMessage());

    IllegalArgumentException badKey = assertThrows(IllegalArgumentException.class,
        () -> JobclusterClient.builder().apiKey("secret\r\nX-Injected: 1"));
    assertFalse(badKey.getMessage().contains("secret"), badKey.getMessage());
  }

  @Test
  void theBuilderRefusesWhatCannotWork() {
    assertThrows(IllegalStateException.class, () -> JobclusterClient.builder().apiKey(KEY).build());
    assertThrows(IllegalArgumentException.class, () -> JobclusterClient.builder().baseUri(URI.create("ftp://127.0.0.1/")));
    assertThrows(IllegalArgumentException.class, () -> JobclusterClient.builder().apiKey(" "));
    assertThrows(IllegalArgumentException.class, () -> JobclusterClient.builder().requestTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> JobclusterClient.builder().connectTimeout(Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> JobclusterClient.builder().httpClient(null));
  }

  @Test
  void aGivenHttpClientIsUsed() {
    JobclusterClient own = JobclusterClient.builder().baseUri(api.uri()).apiKey(KEY).connectTimeout(Duration.ofSeconds(1))
        .httpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()).build();
    api.answer(200, "{\"status\":\"live\"}");
    assertTrue(own.live());
  }

  @Test
  void anInterruptedCallFailsAndKeepsTheInterrupt() {
    api.answerAfter(Duration.ofSeconds(1), 200, "{\"status\":\"live\"}");
    Thread.currentThread().interrupt();
    try {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, client::live);
      assertTrue(e.getCause() instanceof java.io.InterruptedIOException, String.valueOf(e.getCause()));
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }
}
