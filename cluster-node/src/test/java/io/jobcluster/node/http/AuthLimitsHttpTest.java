package io.jobcluster.node.http;

import static io.jobcluster.node.http.HttpTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.http.HttpTestClient.Answer;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Call rates over real HTTP: calls without a valid key per client address, refused before their
 * key is looked up once the address's burst is spent; and every call of a tenant, not only its
 * submissions. Both buckets refill at one token per 100 s, so what a test spends stays spent.
 */
class AuthLimitsHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final int UNAUTHENTICATED_BURST = 3;

  private static JobclusterNode node;
  private static HttpTestClient http;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), String.join("\n",
        "jobcluster.worker-queues = \"default:1\"",
        "jobcluster.auth.unknown-key-ttl = 0s",
        "jobcluster.limits.unauthenticated-rate = 0.01",
        "jobcluster.limits.unauthenticated-burst = " + UNAUTHENTICATED_BURST,
        "jobcluster.limits.tenants { \"chatty\" { request-rate = 0.01, request-burst = 3 } }"));
    http = new HttpTestClient(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void callsWithoutAValidKeyFromOneAddressAreRefusedBeforeTheirKeyIsLookedUpOnceItsBurstIsSpent() throws Exception {
    String known = http.issueKey("steady", Set.of(Scope.READ));
    String unused = http.issueKey("steady", Set.of(Scope.READ));
    assertEquals(200, http.send("GET", "/v1/jobs", known, null).status(), "this node now holds the key as valid");

    for (int i = 0; i < UNAUTHENTICATED_BURST; i++) {
      assertError(http.send("GET", "/v1/jobs", "jc_00000000000000%02d_".formatted(i) + "C".repeat(43), null), 401, "unauthorized");
    }
    long lookups = http.keyLookups();
    Answer limited = http.send("GET", "/v1/jobs", "jc_0000000000000099_" + "C".repeat(43), null);
    assertError(limited, 429, "rate_limited");
    long retryAfter = Long.parseLong(limited.header("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 100, "Retry-After " + retryAfter);
    assertError(http.send("GET", "/v1/stats", null, null), 429, "rate_limited");
    assertError(http.send("POST", "/v1/jobs", "Basic abc", "{\"type\":\"noop\"}"), 429, "rate_limited");
    assertEquals(lookups, http.keyLookups(), "refused before any lookup in the database");

    assertEquals(200, http.send("GET", "/v1/jobs", known, null).status(), "a key the node holds as valid still passes");
    assertError(http.send("GET", "/v1/jobs", unused, null), 429, "rate_limited");
    assertEquals(200, http.send("GET", "/health/live", null, null).status(), "public endpoints are not limited");
  }

  @Test
  void aTenantOverItsCallRateGets429RateLimitedOnEveryKindOfCall() throws Exception {
    String chatty = http.issueKey("chatty", Set.of(Scope.SUBMIT, Scope.READ));
    String quiet = http.issueKey("quiet", Set.of(Scope.READ));
    assertEquals(200, http.send("GET", "/v1/jobs", chatty, null).status());
    assertEquals(200, http.send("GET", "/v1/stats", chatty, null).status());
    assertEquals(200, http.send("GET", "/v1/queues", chatty, null).status());

    Answer limited = http.send("GET", "/v1/jobs", chatty, null);
    assertError(limited, 429, "rate_limited");
    long retryAfter = Long.parseLong(limited.header("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 100, "Retry-After " + retryAfter);
    assertError(http.send("POST", "/v1/jobs", chatty, "{\"type\":\"noop\"}"), 429, "rate_limited");
    assertError(http.send("GET", "/v1/workers", chatty, null), 429, "rate_limited");
    assertEquals(200, http.send("GET", "/v1/jobs", quiet, null).status(), "other tenants are not limited by it");
  }
}
