package io.jobcluster.node.http;

import static io.jobcluster.node.http.HttpTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.http.HttpTestClient.Answer;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Roles and tenants over real HTTP: a tenant's key with the {@code admin} scope administers its own
 * tenant's keys and sees its own tenant only; the operator (the provisioned admin key) sees all.
 * External workers' reports are bound to their key's tenant, and {@code /v1/workers} shows a tenant
 * its own workers only.
 */
class TenantIsolationHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String OPERATOR_KEY = "operator-key-for-tenant-isolation-0123456789";
  private static final Set<Scope> ALL = EnumSet.allOf(Scope.class);

  private static JobclusterNode node;
  private static HttpTestClient http;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.admin-key = \"" + OPERATOR_KEY + "\"\njobcluster.worker-queues = \"pooled:1\"\n");
    http = new HttpTestClient(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static Answer send(String method, String path, String key, String body) throws Exception {
    return http.send(method, path, key, body);
  }

  private static String issued(Answer answer) {
    assertEquals(201, answer.status(), answer.text());
    return answer.body().get("key").asText();
  }

  private static String keyId(String key) {
    return key.substring(3, 19);
  }

  private static List<String> field(JsonNode page, String name) {
    return StreamSupport.stream(page.get("items").spliterator(), false).map(item -> item.get(name).asText()).toList();
  }

  @Test
  void aTenantAdministratorManagesItsOwnTenantsKeysOnly() throws Exception {
    String hooliAdmin = issued(send("POST", "/v1/admin/keys", OPERATOR_KEY, "{\"tenant\":\"hooli\",\"scopes\":[\"admin\"]}"));
    String piedPiper = issued(send("POST", "/v1/admin/keys", OPERATOR_KEY, "{\"tenant\":\"piedpiper\",\"scopes\":[\"read\"]}"));

    Answer foreign = send("POST", "/v1/admin/keys", hooliAdmin, "{\"tenant\":\"piedpiper\",\"scopes\":[\"admin\"]}");
    assertError(foreign, 403, "forbidden");
    assertEquals("this key manages the keys of tenant 'hooli' only", foreign.body().get("message").asText());
    assertError(send("POST", "/v1/admin/keys", hooliAdmin, "{\"tenant\":\"admin\",\"scopes\":[\"read\"]}"), 403, "forbidden");
    assertError(send("GET", "/v1/admin/keys?tenant=piedpiper", hooliAdmin, null), 403, "forbidden");

    // Its own tenant's keys, any scope: named, or by default.
    String deputy = issued(send("POST", "/v1/admin/keys", hooliAdmin, "{\"tenant\":\"hooli\",\"scopes\":[\"admin\",\"submit\"]}"));
    Answer unnamed = send("POST", "/v1/admin/keys", hooliAdmin, "{\"scopes\":[\"read\"]}");
    assertEquals("hooli", unnamed.body().get("tenant").asText(), unnamed.text());
    String reader = issued(unnamed);
    assertEquals(201, send("POST", "/v1/jobs", deputy, "{\"type\":\"noop\",\"delaySeconds\":3600}").status(), "the deputy's key works");

    JsonNode listed = send("GET", "/v1/admin/keys", hooliAdmin, null).body();
    assertEquals(Set.of("hooli"), Set.copyOf(field(listed, "tenant")), listed.toString());
    assertTrue(field(listed, "keyId").containsAll(List.of(keyId(hooliAdmin), keyId(deputy), keyId(reader))), listed.toString());

    // Another tenant's key id is as unknown as a made-up one, and stays valid.
    assertError(send("DELETE", "/v1/admin/keys/" + keyId(piedPiper), hooliAdmin, null), 404, "not_found");
    assertEquals(200, send("GET", "/v1/jobs", piedPiper, null).status(), "the other tenant's key still works");
    assertEquals(204, send("DELETE", "/v1/admin/keys/" + keyId(reader), hooliAdmin, null).status());
    assertError(send("GET", "/v1/jobs", reader, null), 401, "unauthorized");

    // The operator manages every tenant but the reserved one.
    assertEquals(204, send("DELETE", "/v1/admin/keys/" + keyId(piedPiper), OPERATOR_KEY, null).status());
    assertError(send("POST", "/v1/admin/keys", OPERATOR_KEY, "{\"tenant\":\"admin\",\"scopes\":[\"read\"]}"), 400, "invalid_request");
    assertError(send("GET", "/v1/admin/keys", OPERATOR_KEY, null), 400, "invalid_request");
  }

  @Test
  void aTenantAdministratorSeesLeasesAndCountsOnlyItsOwnTenantsJobs() throws Exception {
    String initechAdmin = http.issueKey("initech", ALL);
    String umbrella = http.issueKey("umbrella", ALL);
    // A queue no pool serves: the jobs stay PENDING.
    String theirs = send("POST", "/v1/jobs", umbrella, "{\"queue\":\"umbrella-only\",\"type\":\"noop\"}").body().get("id").asText();
    String mine = send("POST", "/v1/jobs", initechAdmin, "{\"queue\":\"initech-only\",\"type\":\"noop\",\"delaySeconds\":3600}")
        .body().get("id").asText();
    http.awaitJson("/v1/jobs?queue=umbrella-only", OPERATOR_KEY, page -> field(page, "id").contains(theirs));
    http.awaitJson("/v1/jobs?queue=initech-only", initechAdmin, page -> field(page, "id").contains(mine));

    assertError(send("GET", "/v1/jobs/" + theirs, initechAdmin, null), 404, "not_found");
    assertError(send("GET", "/v1/jobs/" + theirs + "/history", initechAdmin, null), 404, "not_found");
    assertError(send("POST", "/v1/jobs/" + theirs + "/cancel", initechAdmin, null), 404, "not_found");
    assertFalse(field(send("GET", "/v1/jobs?limit=200", initechAdmin, null).body(), "id").contains(theirs));
    assertEquals(0, send("GET", "/v1/jobs?queue=umbrella-only", initechAdmin, null).body().get("items").size());

    JsonNode stats = send("GET", "/v1/stats", initechAdmin, null).body();
    assertEquals(1, stats.get("total").asLong(), stats.toString());
    JsonNode queues = send("GET", "/v1/queues", initechAdmin, null).body();
    assertFalse(field(queues, "queue").contains("umbrella-only"), queues.toString());
    assertTrue(field(queues, "queue").contains("initech-only"), queues.toString());

    Answer leased = send("POST", "/v1/queues/umbrella-only/lease", initechAdmin, "{\"workerId\":\"initech-w\",\"waitSeconds\":1}");
    assertEquals(0, leased.body().get("items").size(), "another tenant's jobs are never leased to it: " + leased.text());
    assertEquals("PENDING", send("GET", "/v1/jobs/" + theirs, umbrella, null).body().get("status").asText());

    assertEquals(200, send("GET", "/v1/jobs/" + theirs, OPERATOR_KEY, null).status(), "the operator sees every tenant");
    JsonNode all = send("GET", "/v1/stats", OPERATOR_KEY, null).body();
    assertTrue(all.get("total").asLong() >= 2, all.toString());
  }

  @Test
  void anotherTenantsWorkKeyCannotReportOnALeaseEvenWithItsId() throws Exception {
    String owner = http.issueKey("soylent", Set.of(Scope.SUBMIT, Scope.READ, Scope.WORK));
    String intruder = http.issueKey("tyrell", Set.of(Scope.WORK));
    String id = send("POST", "/v1/jobs", owner, "{\"queue\":\"soylent-ext\",\"type\":\"transcode\",\"timeoutSeconds\":600}")
        .body().get("id").asText();
    JsonNode lease = leaseOne(owner, "soylent-ext", "soylent-w1");
    assertEquals(id, lease.get("jobId").asText());
    String leaseId = lease.get("leaseId").asText();
    JsonNode before = send("GET", "/v1/jobs/" + id, owner, null).body();

    assertError(send("POST", "/v1/jobs/" + id + "/heartbeat", intruder, "{\"leaseId\":\"" + leaseId + "\",\"progress\":{\"p\":1}}"),
        404, "not_found");
    assertError(send("POST", "/v1/jobs/" + id + "/complete", intruder, "{\"leaseId\":\"" + leaseId + "\",\"result\":{\"x\":1}}"),
        404, "not_found");
    assertError(send("POST", "/v1/jobs/" + id + "/fail", intruder, "{\"leaseId\":\"" + leaseId + "\",\"error\":\"no\",\"retryable\":false}"),
        404, "not_found");
    assertError(send("POST", "/v1/jobs/" + id + "/complete", intruder, "{\"leaseId\":\"stale\"}"), 404, "not_found");

    JsonNode after = send("GET", "/v1/jobs/" + id, owner, null).body();
    assertEquals(before, after, "nothing changed");
    assertEquals("RUNNING", after.get("status").asText());
    assertEquals(200, send("POST", "/v1/jobs/" + id + "/complete", owner, "{\"leaseId\":\"" + leaseId + "\"}").status(),
        "the lease is still the owner's");
    assertEquals("COMPLETED", send("GET", "/v1/jobs/" + id, owner, null).body().get("status").asText());
  }

  @Test
  void workersShowATenantItsOwnExternalWorkersAndTheOperatorEveryPool() throws Exception {
    String wonka = http.issueKey("wonka", Set.of(Scope.SUBMIT, Scope.READ, Scope.WORK));
    String gringotts = http.issueKey("gringotts", Set.of(Scope.SUBMIT, Scope.READ, Scope.WORK));
    List<String> leases = new ArrayList<>();
    for (String[] worker : new String[][] {{wonka, "wonka-ext", "wonka-w1"}, {gringotts, "gringotts-ext", "gringotts-w1"}}) {
      send("POST", "/v1/jobs", worker[0], "{\"queue\":\"" + worker[1] + "\",\"type\":\"transcode\",\"timeoutSeconds\":600}");
      leases.add(leaseOne(worker[0], worker[1], worker[2]).get("leaseId").asText());
    }

    JsonNode mine = http.awaitJson("/v1/workers", wonka, page -> field(page, "id").contains("wonka-w1"));
    assertEquals(List.of("wonka-w1"), field(mine, "id"), "only its own workers, no pool: " + mine);
    assertEquals("external", mine.get("items").get(0).get("node").asText());
    assertEquals("wonka-ext", mine.get("items").get(0).get("queues").get(0).asText());
    assertEquals(1, mine.get("items").get(0).get("inFlight").asInt());
    JsonNode theirs = http.awaitJson("/v1/workers", gringotts, page -> field(page, "id").contains("gringotts-w1"));
    assertEquals(List.of("gringotts-w1"), field(theirs, "id"), theirs.toString());

    JsonNode everyPool = send("GET", "/v1/workers", OPERATOR_KEY, null).body();
    assertTrue(field(everyPool, "id").stream().anyMatch(id -> id.endsWith("/pooled")), everyPool.toString());
    assertTrue(field(everyPool, "node").contains(node.nodeId()), everyPool.toString());
  }

  @Test
  void onlyTheOperatorSeesADispatcherWhichHoldsEveryTenantsWork() throws Exception {
    String tenantAdmin = http.issueKey("umbrella", Set.of(Scope.ADMIN, Scope.READ));

    assertError(send("GET", "/v1/queues/pooled/dispatcher", tenantAdmin, null), 403, "forbidden");
    JsonNode dispatcher = send("GET", "/v1/queues/pooled/dispatcher", OPERATOR_KEY, null).body();
    assertEquals("pooled", dispatcher.get("queue").asText(), dispatcher.toString());
    assertEquals(node.nodeId(), dispatcher.get("node").asText(), dispatcher.toString());
  }

  private static JsonNode leaseOne(String key, String queue, String workerId) throws Exception {
    Answer leased = send("POST", "/v1/queues/" + queue + "/lease", key, "{\"workerId\":\"" + workerId + "\",\"waitSeconds\":20}");
    assertEquals(200, leased.status(), leased.text());
    assertEquals(1, leased.body().get("items").size(), leased.text());
    return leased.body().get("items").get(0);
  }
}
