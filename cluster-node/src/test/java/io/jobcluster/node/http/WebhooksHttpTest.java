package io.jobcluster.node.http;

import static io.jobcluster.node.http.HttpTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.http.HttpTestClient.Answer;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.Webhook;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.wire.WebhookDelivery;
import io.jobcluster.protocol.wire.WebhookSecret;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Completion webhooks on a real node with a real PostgreSQL: a real HTTP server on 127.0.0.1 (allowed
 * by the node's address rules) receives the signed job view, is retried while it fails, and the
 * delivery log shows every attempt.
 */
class WebhooksHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String ADMIN_KEY = "admin-key-for-webhook-tests-0123456789";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static JobclusterNode node;
  private static HttpTestClient http;
  private static WebhookReceiver receiver;
  private static String acme;
  private static String acmeAdmin;
  private static String globex;

  @BeforeAll
  static void start() throws Exception {
    receiver = new WebhookReceiver();
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\njobcluster.worker-queues = \"default:2\"\n"
        + "jobcluster.http-jobs.allowed-hosts = [\"127.0.0.1\"]\njobcluster.webhooks.initial-backoff = 200ms\n"
        + "jobcluster.webhooks.poll-interval = 200ms\njobcluster.webhooks.max-attempts = 3\n");
    http = new HttpTestClient(node);
    acme = issue("acme", Set.of(Scope.SUBMIT, Scope.READ));
    acmeAdmin = issue("acme", Set.of(Scope.ADMIN));
    globex = issue("globex", Set.of(Scope.SUBMIT, Scope.READ));
  }

  @AfterAll
  static void stop() {
    node.close();
    receiver.close();
  }

  private static String issue(String tenant, Set<Scope> scopes) throws Exception {
    return node.apiKeys().store().issue(tenant, scopes, "test").toCompletableFuture().get(30, TimeUnit.SECONDS).plaintext();
  }

  private static String url(String path) {
    return receiver.url(path);
  }

  private static String drawSecret(String tenant, String key) throws Exception {
    Answer answer = http.send("POST", "/v1/admin/tenants/" + tenant + "/webhook-secret", key, null);
    assertEquals(201, answer.status(), answer.text());
    assertEquals(tenant, answer.body().get("tenant").asText());
    return answer.body().get("secret").asText();
  }

  private static String submit(String key, String body) throws Exception {
    Answer created = http.send("POST", "/v1/jobs", key, body);
    assertEquals(201, created.status(), created.text());
    return created.body().get("id").asText();
  }

  private static List<WebhookReceiver.Received> receivedAt(String path) {
    return receiver.at(path);
  }

  @Test
  void aFinishedJobsViewIsPostedSignedWithTheTenantsSecret() throws Exception {
    String secret = drawSecret("acme", acmeAdmin);
    String id = submit(acme, "{\"type\": \"noop\", \"webhook\": {\"url\": \"" + url("/signed") + "\"}}");
    assertEquals(url("/signed"), http.send("GET", "/v1/jobs/" + id, acme, null).body().get("webhook").get("url").asText());

    Awaitility.await().atMost(DEADLINE).until(() -> !receivedAt("/signed").isEmpty());
    WebhookReceiver.Received post = receivedAt("/signed").get(0);
    assertTrue(verifies(secret, post.signature(), post.body()), "the documented verification accepts it: " + post.signature());
    assertTrue(!verifies("whsec_another", post.signature(), post.body()), "another secret does not verify");
    JsonNode view = HttpTestClient.JSON.readTree(post.body());
    assertEquals(List.of(id, "COMPLETED"), List.of(view.get("id").asText(), view.get("status").asText()));

    JsonNode deliveries = awaitDeliveries(id, acme, "delivered");
    JsonNode delivery = deliveries.get(0);
    assertEquals(List.of("COMPLETED", url("/signed"), "1"),
        List.of(delivery.get("jobStatus").asText(), delivery.get("url").asText(), delivery.get("attempts").asText()));
    assertEquals(200, delivery.get("log").get(0).get("httpStatus").asInt());
    assertTrue(delivery.get("log").get(0).get("error").isNull());
  }

  @Test
  void aFailingReceiverIsRetriedUntilIt2xxAndAReceiverThatNeverDoesEndsDead() throws Exception {
    drawSecret("acme", ADMIN_KEY);
    String flaky = submit(acme, "{\"type\": \"noop\", \"webhook\": {\"url\": \"" + url("/fail-2/x") + "\"}}");
    String broken = submit(acme, "{\"type\": \"noop\", \"webhook\": {\"url\": \"" + url("/fail-9/y") + "\"}}");

    JsonNode retried = awaitDeliveries(flaky, acme, "delivered").get(0);
    assertEquals(3, retried.get("attempts").asInt());
    List<Integer> statuses = new ArrayList<>();
    retried.get("log").forEach(attempt -> statuses.add(attempt.get("httpStatus").asInt()));
    assertEquals(List.of(503, 503, 204), statuses);
    assertEquals("answered 503", retried.get("log").get(0).get("error").asText());
    assertEquals(3, receivedAt("/fail-2/x").size());

    JsonNode dead = awaitDeliveries(broken, acme, "dead").get(0);
    assertEquals(3, dead.get("log").size(), "max-attempts = 3");
  }

  @Test
  void aTenantsDefaultWebhookServesItsJobsWithoutOneOfTheirOwn() throws Exception {
    String globexAdmin = issue("globex", Set.of(Scope.ADMIN));
    Answer set = http.send("POST", "/v1/admin/tenants/globex/webhook", globexAdmin, "{\"url\": \"" + url("/globex-default") + "\"}");
    assertEquals(200, set.status(), set.text());
    String secret = drawSecret("globex", globexAdmin);
    Answer settings = http.send("GET", "/v1/admin/tenants/globex/webhook", globexAdmin, null);
    assertEquals(url("/globex-default"), settings.body().get("defaultUrl").asText());
    assertTrue(Instant.parse(settings.body().get("secretCreatedAt").asText()).isBefore(Instant.now().plusSeconds(1)));
    assertTrue(!settings.text().contains(secret), "the secret is shown once only");

    String id = submit(globex, "{\"type\": \"noop\"}");
    Awaitility.await().atMost(DEADLINE).until(() -> receivedAt("/globex-default").stream().anyMatch(r -> r.body().contains(id)));
    WebhookReceiver.Received post = receivedAt("/globex-default").stream().filter(r -> r.body().contains(id)).findFirst().orElseThrow();
    assertTrue(verifies(secret, post.signature(), post.body()));
    assertEquals(1, awaitDeliveries(id, globex, "delivered").size());
  }

  @Test
  void theJavaClientManagesWebhooksAndReadsTheDeliveryLog() throws Exception {
    JobclusterClient admin = JobclusterClient.builder().baseUri(URI.create("http://127.0.0.1:" + node.httpAddress().getPort()))
        .apiKey(ADMIN_KEY).build();
    JobclusterClient submitter = JobclusterClient.builder().baseUri(URI.create("http://127.0.0.1:" + node.httpAddress().getPort()))
        .apiKey(issue("initech", Set.of(Scope.SUBMIT, Scope.READ))).build();
    WebhookSecret secret = admin.drawWebhookSecret("initech");
    assertEquals("initech", secret.tenant());
    assertEquals(url("/initech-default"), admin.setDefaultWebhook("initech", url("/initech-default")).defaultUrl());
    assertEquals(secret.createdAt(), admin.webhookSettings("initech").secretCreatedAt());

    String own = submitter.submit(JobRequest.of("noop").withWebhook(new Webhook(url("/initech-own")))).job().id();
    assertEquals(url("/initech-own"), submitter.get(own).webhook().url());
    Awaitility.await().atMost(DEADLINE).until(() -> submitter.webhookDeliveries(own).stream().anyMatch(d -> d.state().equals("delivered")));
    WebhookDelivery delivery = submitter.webhookDeliveries(own).get(0);
    assertEquals(List.of(JobStatus.COMPLETED, 1, 200), List.of(delivery.jobStatus(), delivery.attempts(), delivery.log().get(0).httpStatus()));
    assertTrue(verifies(secret.secret(), receivedAt("/initech-own").get(0).signature(), receivedAt("/initech-own").get(0).body()));
    assertTrue(receivedAt("/initech-default").isEmpty(), "a job's own webhook replaces the tenant's default");

    assertEquals(null, admin.setDefaultWebhook("initech", null).defaultUrl());
  }

  @Test
  void badWebhooksAndOtherTenantsAreRefused() throws Exception {
    for (String url : List.of("ftp://127.0.0.1/x", "not a url", "/relative", "http://user:pw@127.0.0.1/x", "http://10.0.0.1/hook",
        "http://[::1]/hook")) {
      assertError(http.send("POST", "/v1/jobs", acme, "{\"type\": \"noop\", \"webhook\": {\"url\": \"" + url + "\"}}"), 400, "invalid_request");
    }
    Answer batch = http.send("POST", "/v1/jobs/batch", acme, "{\"jobs\": [{\"type\": \"noop\", \"webhook\": {\"url\": \"http://169.254.169.254/\"}}]}");
    assertEquals(400, batch.body().get("items").get(0).get("status").asInt(), batch.text());
    assertError(http.send("POST", "/v1/admin/tenants/acme/webhook", acmeAdmin, "{\"url\": \"http://10.1.1.1/\"}"), 400, "invalid_request");
    assertError(http.send("POST", "/v1/admin/tenants/globex/webhook-secret", acmeAdmin, null), 403, "forbidden");
    assertError(http.send("POST", "/v1/admin/tenants/acme/webhook-secret", acme, null), 403, "forbidden");

    String id = submit(acme, "{\"type\": \"noop\", \"delaySeconds\": 3600}");
    assertError(http.send("GET", "/v1/jobs/" + id + "/webhook-deliveries", globex, null), 404, "not_found");
    Answer none = http.send("GET", "/v1/jobs/" + id + "/webhook-deliveries", acme, null);
    assertEquals(0, none.body().get("items").size());
  }

  private static JsonNode awaitDeliveries(String id, String key, String state) throws Exception {
    return http.await("/v1/jobs/" + id + "/webhook-deliveries", key, a -> a.status() == 200 && a.body().get("items").size() > 0
        && a.body().get("items").get(0).get("state").asText().equals(state)).body().get("items");
  }

  private static boolean verifies(String secret, String header, String body) throws Exception {
    return WebhookReceiver.verifies(secret, header, body);
  }
}
