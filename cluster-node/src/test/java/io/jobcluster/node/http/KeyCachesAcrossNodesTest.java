package io.jobcluster.node.http;

import static io.jobcluster.node.http.HttpTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.FreePorts;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.http.HttpTestClient.Answer;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The key caches of two nodes of one cluster, over real HTTP: a key revoked on one node is refused
 * by the other as soon as the revocation notice arrives (its cache would keep the key for 30 s);
 * a key issued on one node works on the other at once; an unknown key is not looked up in the
 * database again while it is remembered as unknown.
 */
class KeyCachesAcrossNodesTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String OPERATOR_KEY = "operator-key-for-key-caches-0123456789";
  private static final Duration UNKNOWN_KEY_TTL = Duration.ofSeconds(3);
  private static final String CONFIG = String.join("\n",
      "jobcluster.admin-key = \"" + OPERATOR_KEY + "\"",
      "jobcluster.worker-queues = \"default:1\"",
      "jobcluster.auth.cache-ttl = 30s",
      "jobcluster.auth.unknown-key-ttl = " + UNKNOWN_KEY_TTL.toSeconds() + "s");

  private static JobclusterNode first;
  private static JobclusterNode second;
  private static HttpTestClient one;
  private static HttpTestClient two;

  @BeforeAll
  static void start() throws Exception {
    int seedPort = FreePorts.next();
    first = TestNodes.start(POSTGRES.settings(), seedPort, "", CONFIG);
    second = TestNodes.start(POSTGRES.settings(), FreePorts.next(), "127.0.0.1:" + seedPort, CONFIG);
    one = new HttpTestClient(first);
    two = new HttpTestClient(second);
    // A notice published before the other node's topic is known would be lost: wait until each knows the other.
    Awaitility.await("the revocation topic spanning both nodes").atMost(Duration.ofSeconds(60)).until(() -> {
      int seenByFirst = first.apiKeys().revocations().topicInstances().toCompletableFuture().get(10, TimeUnit.SECONDS);
      int seenBySecond = second.apiKeys().revocations().topicInstances().toCompletableFuture().get(10, TimeUnit.SECONDS);
      LoggerFactory.getLogger(KeyCachesAcrossNodesTest.class).info("topic instances first={} second={}", seenByFirst, seenBySecond);
      return seenByFirst >= 2 && seenBySecond >= 2;
    });
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  @Test
  void aKeyRevokedOnOneNodeIsRefusedByTheOtherOnceTheNoticeArrives() throws Exception {
    Answer issued = one.send("POST", "/v1/admin/keys", OPERATOR_KEY, "{\"tenant\":\"revoked-tenant\",\"scopes\":[\"read\"]}");
    String key = issued.body().get("key").asText();
    String keyId = issued.body().get("keyId").asText();
    assertEquals(200, two.send("GET", "/v1/jobs", key, null).status(), "the second node knows the key now and caches it");
    assertEquals(200, two.send("GET", "/v1/jobs", key, null).status());

    assertEquals(204, one.send("DELETE", "/v1/admin/keys/" + keyId, OPERATOR_KEY, null).status());
    assertError(one.send("GET", "/v1/jobs", key, null), 401, "unauthorized");
    // The second node's cache would keep the key for 30 s: only the notice can make it refuse sooner.
    Awaitility.await("the second node refusing the revoked key").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
        .until(() -> two.send("GET", "/v1/jobs", key, null).status() == 401);
    assertError(two.send("GET", "/v1/jobs", key, null), 401, "unauthorized");
  }

  @Test
  void aKeyIssuedOnOneNodeWorksOnTheOtherAtOnce() throws Exception {
    String key = one.send("POST", "/v1/admin/keys", OPERATOR_KEY, "{\"tenant\":\"fresh-tenant\",\"scopes\":[\"read\"]}").body().get("key").asText();
    assertEquals(200, two.send("GET", "/v1/jobs", key, null).status());
  }

  @Test
  void anUnknownKeyIsNotLookedUpAgainWhileRememberedAsUnknown() throws Exception {
    String unknown = "jc_00000000deadbeef_" + "A".repeat(43);
    assertError(two.send("GET", "/v1/jobs", unknown, null), 401, "unauthorized");
    long looked = two.keyLookups();
    for (int i = 0; i < 5; i++) {
      assertError(two.send("GET", "/v1/stats", unknown, null), 401, "unauthorized");
    }
    assertEquals(looked, two.keyLookups(), "refused from memory, without the database");

    // Once forgotten, it is looked up again.
    Awaitility.await("the unknown key looked up again after " + UNKNOWN_KEY_TTL).atMost(UNKNOWN_KEY_TTL.plusSeconds(10))
        .pollInterval(Duration.ofMillis(250)).until(() -> {
          assertError(two.send("GET", "/v1/jobs", unknown, null), 401, "unauthorized");
          return two.keyLookups() > looked;
        });
  }
}
