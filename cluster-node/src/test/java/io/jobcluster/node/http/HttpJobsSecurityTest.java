package io.jobcluster.node.http;

import static io.jobcluster.node.http.HttpTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.LoopbackTarget;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.http.HttpTestClient.Answer;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code http} job type's safety through a real node's API: SSRF attempts at loopback targets,
 * the operator's allow-list, the job type switches, redacted headers, the worker label. The node may
 * call 127.0.0.2 only (its allow-list); the "internal" server listens on 127.0.0.1, the node's own
 * loopback address. Every target is loopback: nothing here sends traffic elsewhere.
 */
class HttpJobsSecurityTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String ADMIN_KEY = "admin-key-for-tests-0123456789abcdef";

  private static JobclusterNode node;
  private static HttpTestClient http;
  private static ExecutorService serverThreads;
  private static LoopbackTarget allowed;
  private static LoopbackTarget internal;
  private static String acme;
  private static String locked;

  @BeforeAll
  static void start() throws Exception {
    serverThreads = Executors.newCachedThreadPool();
    allowed = new LoopbackTarget("127.0.0.2", serverThreads);
    internal = new LoopbackTarget("127.0.0.1", serverThreads);
    node = TestNodes.start(POSTGRES.settings(), """
        jobcluster.admin-key = "%s"
        jobcluster.worker-queues = "default:4"
        jobcluster.http-jobs.allowed-hosts = ["127.0.0.2"]
        jobcluster.job-types { disabled = ["sleep"], tenants { "locked" { disabled = ["http"] } } }
        """.formatted(ADMIN_KEY));
    http = new HttpTestClient(node);
    acme = http.issueKey("acme", Set.of(Scope.SUBMIT, Scope.READ));
    locked = http.issueKey("locked", Set.of(Scope.SUBMIT, Scope.READ));
  }

  @AfterAll
  static void stop() {
    node.close();
    allowed.close();
    internal.close();
    serverThreads.shutdownNow();
  }

  /**
   * Loopback in every spelling the JVM reads as loopback is refused without a call, and fails at
   * once. ({@code 0177.0.0.1} is not here: Java reads it as 177.0.0.1, a public address this test
   * must not call; {@code AddressPolicyTest} shows how it is judged.)
   */
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "localhost, ",
    "[::1], 0:0:0:0:0:0:0:1",
    "[::ffff:127.0.0.1], 127.0.0.1",
    "[::127.0.0.1], 0:0:0:0:0:0:7f00:1",
    "2130706433, 127.0.0.1",
    "0127.0.0.1, 127.0.0.1",
    "127.000.000.001, 127.0.0.1"
  })
  void loopbackIsRefusedInEverySpelling(String host, String address) throws Exception {
    JsonNode failed = runToTheEnd("{\"type\":\"http\",\"payload\":{\"url\":\"http://" + host + ":" + internal.port() + "/secret\"}}");

    assertEquals("FAILED", failed.get("status").asText());
    assertEquals(1, failed.get("attempts").asInt(), "not retried");
    String error = failed.get("lastError").asText();
    if (address != null) {
      assertEquals("destination " + address + " is not allowed: loopback; allow it with JOBCLUSTER_HTTP_ALLOWED_HOSTS", error);
    } else {
      assertTrue(error.startsWith("destination ") && error.endsWith(" is not allowed: loopback; allow it with JOBCLUSTER_HTTP_ALLOWED_HOSTS"), error);
    }
    assertTrue(internal.received().isEmpty(), "the internal server was not called");
  }

  @ParameterizedTest
  @CsvSource({"0x7f.1", "127.1"})
  void shortAndHexSpellingsAreNoHostAtAll(String host) throws Exception {
    JsonNode failed = runToTheEnd("{\"type\":\"http\",\"payload\":{\"url\":\"http://" + host + ":" + internal.port() + "/\"}}");

    assertEquals("FAILED", failed.get("status").asText());
    assertEquals("payload field 'url' must name a host", failed.get("lastError").asText());
    assertTrue(internal.received().isEmpty());
  }

  @Test
  void aRedirectFromTheAllowedTargetToAnInternalOneIsRefused() throws Exception {
    JsonNode failed = runToTheEnd("{\"type\":\"http\",\"payload\":{\"url\":\"" + allowed.base() + "/to/302?" + internal.base() + "/secret\"}}");

    assertEquals("FAILED", failed.get("status").asText());
    assertEquals("destination 127.0.0.1 is not allowed: loopback; allow it with JOBCLUSTER_HTTP_ALLOWED_HOSTS", failed.get("lastError").asText());
    assertEquals("/to/302", allowed.received().poll(5, TimeUnit.SECONDS).path(), "the allowed target was called");
    assertTrue(internal.received().isEmpty(), "the redirect was not followed");

    // The same redirect within the allowed target is followed: the refusal above is the policy's.
    JsonNode followed = runToTheEnd("{\"type\":\"http\",\"payload\":{\"url\":\"" + allowed.base() + "/to/302?" + allowed.base() + "/next\"}}");
    assertEquals("COMPLETED", followed.get("status").asText());
    assertEquals("reached /next", followed.get("result").get("body").asText());
  }

  @Test
  void theAllowListLetsALoopbackTargetThroughAndTheWorkerHeaderCarriesNoAddress() throws Exception {
    allowed.received().clear();
    JsonNode done = runToTheEnd("{\"type\":\"http\",\"payload\":{\"url\":\"" + allowed.base() + "/echo\"}}");

    assertEquals("COMPLETED", done.get("status").asText(), done.toString());
    assertEquals("reached /echo", done.get("result").get("body").asText());
    LoopbackTarget.Received request = allowed.received().poll(5, TimeUnit.SECONDS);
    assertEquals(done.get("id").asText(), request.headers().get("x-jobcluster-job-id"));
    assertEquals("1", request.headers().get("x-jobcluster-attempt"));
    String worker = request.headers().get("x-jobcluster-worker");
    assertTrue(worker.matches("w-[0-9a-f]{16}"), worker);
    String clusterAddress = node.clusterAddress();
    assertFalse(worker.contains(clusterAddress.substring(0, clusterAddress.indexOf(':'))), worker);
    assertFalse(worker.contains(clusterAddress.substring(clusterAddress.indexOf(':') + 1)), worker);
    assertFalse(request.headers().values().stream().anyMatch(value -> value.contains(clusterAddress)), request.headers().toString());
  }

  @Test
  void aTypeTheOperatorDisabledIsRefusedAtSubmitAndChangesNothing() throws Exception {
    Answer refused = http.send("POST", "/v1/jobs", acme, "{\"type\":\"sleep\",\"payload\":{\"ms\":1}}", "Idempotency-Key", "switch-1");

    assertError(refused, 403, "job_type_disabled");
    assertEquals("type", refused.body().get("field").asText());
    assertEquals("job type 'sleep' is disabled on this cluster", refused.body().get("message").asText());
    // Nothing was stored under the key: another request under it is a new job, not a conflict.
    assertEquals(201, http.send("POST", "/v1/jobs", acme, "{\"type\":\"noop\"}", "Idempotency-Key", "switch-1").status());
  }

  @Test
  void aTypeDisabledForOneTenantIsRefusedForItOnly() throws Exception {
    String payload = "{\"type\":\"http\",\"payload\":{\"url\":\"" + allowed.base() + "/echo\"}}";

    Answer refused = http.send("POST", "/v1/jobs", locked, payload);
    assertError(refused, 403, "job_type_disabled");
    assertEquals("job type 'http' is disabled for tenant 'locked'", refused.body().get("message").asText());
    assertEquals(201, http.send("POST", "/v1/jobs", acme, payload).status(), "another tenant may");

    Answer batch = http.send("POST", "/v1/jobs/batch", locked, "{\"jobs\":[" + payload + ",{\"type\":\"noop\"}]}");
    assertEquals(200, batch.status());
    JsonNode items = batch.body().get("items");
    assertEquals(403, items.get(0).get("status").asInt());
    assertEquals("job_type_disabled", items.get(0).get("error").get("error").asText());
    assertEquals(201, items.get(1).get("status").asInt());
  }

  @Test
  void aJobOfATypeDisabledAfterItsSubmissionFailsWhenAWorkerTakesIt() throws Exception {
    // Submitted past the API, as if before the switch was set: the entity takes any type.
    allowed.received().clear();
    String httpJob = submitDirectly("locked", JobRequest.of("http").withPayload("{\"url\":\"" + allowed.base() + "/echo\"}"));
    String sleepJob = submitDirectly("acme", JobRequest.of("sleep").withPayload("{\"ms\":1}"));

    JsonNode lockedView = http.awaitJson("/v1/jobs/" + httpJob, ADMIN_KEY, job -> job.get("status").asText().equals("FAILED"));
    assertEquals("job type 'http' is disabled for tenant 'locked'", lockedView.get("lastError").asText());
    assertEquals(1, lockedView.get("attempts").asInt(), "not retried");
    JsonNode sleepView = http.awaitJson("/v1/jobs/" + sleepJob, ADMIN_KEY, job -> job.get("status").asText().equals("FAILED"));
    assertEquals("job type 'sleep' is disabled on this cluster", sleepView.get("lastError").asText());
    assertTrue(allowed.received().isEmpty(), "the disabled http job made no call");
  }

  @Test
  void headerValuesOfHttpJobsAreRedactedInEveryView() throws Exception {
    allowed.received().clear();
    Answer created = http.send("POST", "/v1/jobs", acme, """
        {"type": "http", "payload": {"url": "%s/echo", "headers": {"Authorization": "Bearer s3cret-token", "X-Trace": "t-1"}}}"""
        .formatted(allowed.base()));
    assertEquals(201, created.status(), created.text());
    String id = created.body().get("id").asText();
    JsonNode done = http.awaitJson("/v1/jobs/" + id, acme, job -> job.get("status").asText().equals("COMPLETED"));

    assertEquals("{\"Authorization\":\"***\",\"X-Trace\":\"***\"}", created.body().get("payload").get("headers").toString());
    assertEquals("{\"Authorization\":\"***\",\"X-Trace\":\"***\"}", done.get("payload").get("headers").toString());
    assertEquals(allowed.base() + "/echo", done.get("payload").get("url").asText(), "the rest of the payload as submitted");
    Answer history = http.send("GET", "/v1/jobs/" + id + "/history", acme, null);
    Answer listed = http.await("/v1/jobs?type=http&limit=100", acme, answer -> answer.text().contains(id));
    Answer deleted = http.send("DELETE", "/v1/jobs/" + id, acme, null);
    for (Answer answer : new Answer[] {created, history, listed}) {
      assertFalse(answer.text().contains("s3cret"), answer.text());
      assertFalse(answer.text().contains("t-1"), answer.text());
    }
    assertFalse(done.toString().contains("s3cret"), done.toString());
    assertEquals(204, deleted.status());
    assertEquals("Bearer s3cret-token", allowed.received().poll(5, TimeUnit.SECONDS).headers().get("authorization"),
        "the worker sends the real value");

    Answer other = http.send("POST", "/v1/jobs", acme, "{\"type\":\"noop\",\"payload\":{\"headers\":{\"a\":\"b\"}}}");
    assertEquals("{\"a\":\"b\"}", other.body().get("payload").get("headers").toString(), "other types are shown as submitted");
  }

  /** Submits through the API as acme and waits for a finished status; the job's view. */
  private static JsonNode runToTheEnd(String request) throws Exception {
    Answer created = http.send("POST", "/v1/jobs", acme, request);
    assertEquals(201, created.status(), created.text());
    String id = created.body().get("id").asText();
    return http.awaitJson("/v1/jobs/" + id, acme, job -> Set.of("COMPLETED", "FAILED").contains(job.get("status").asText()));
  }

  private static String submitDirectly(String tenant, JobRequest request) throws Exception {
    JobReply reply = node.jobs().submit(tenant, request).toCompletableFuture().get(30, TimeUnit.SECONDS);
    return ((JobReply.Accepted) reply).job().id();
  }
}
