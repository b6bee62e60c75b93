package io.jobcluster.node.http;

import static io.jobcluster.node.http.HttpTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.job.JobEntity;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobIds;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Anyone with a key may send commands to made-up job ids: they answer 404, write nothing to the
 * journal, and their entities leave memory at once (long before the idle timeout of 60 s set here).
 */
class UnknownJobIdsHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final List<String> TABLES = List.of("event_journal", "event_tag", "snapshot", "durable_state");
  private static JobclusterNode node;
  private static HttpTestClient http;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"\"\njobcluster.job.finished-idle-timeout = 60s\n");
    http = new HttpTestClient(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void commandsToRandomUnknownIdsAnswer404WriteNothingAndLeaveNoEntityBehind() throws Exception {
    String key = http.issueKey("prober", Set.of(Scope.SUBMIT, Scope.READ));
    List<Long> rowsBefore = rows(POSTGRES.settings());
    int entitiesBefore = jobEntities();

    for (int i = 0; i < 20; i++) {
      String id = JobIds.random();
      assertError(http.send("GET", "/v1/jobs/" + id, key, null), 404, "not_found");
      assertError(http.send("POST", "/v1/jobs/" + id + "/cancel", key, null), 404, "not_found");
      assertError(http.send("POST", "/v1/jobs/" + id + "/retry", key, null), 404, "not_found");
      assertError(http.send("DELETE", "/v1/jobs/" + id, key, null), 404, "not_found");
    }

    assertEquals(rowsBefore, rows(POSTGRES.settings()), "rows in " + TABLES);
    Awaitility.await("the probed entities leaving memory").atMost(Duration.ofSeconds(30)).until(() -> jobEntities() <= entitiesBefore);
  }

  @Test
  void idsThatAreNotJobIdsAnswer404WithoutStartingAnEntity() throws Exception {
    String key = http.issueKey("malformed", Set.of(Scope.SUBMIT, Scope.READ));
    int entitiesBefore = jobEntities();
    for (String id : List.of("not-a-job", "AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA", "1-1-1-1-1", "%2e%2e")) {
      assertError(http.send("GET", "/v1/jobs/" + id, key, null), 404, "not_found");
      assertError(http.send("POST", "/v1/jobs/" + id + "/cancel", key, null), 404, "not_found");
    }
    assertTrue(jobEntities() <= entitiesBefore, "no entity started for a malformed id");
  }

  private static List<Long> rows(DatabaseSettings db) throws Exception {
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement statement = connection.createStatement()) {
      List<Long> counts = new java.util.ArrayList<>();
      for (String table : TABLES) {
        try (ResultSet row = statement.executeQuery("SELECT count(*) FROM " + table)) {
          row.next();
          counts.add(row.getLong(1));
        }
      }
      return counts;
    }
  }

  /** Job entities running on the node. */
  private static int jobEntities() throws Exception {
    var region = ClusterSharding.get(Adapter.toClassic(node.system())).shardRegion(JobEntity.TYPE_KEY.name());
    var state = (ShardRegion.CurrentShardRegionState) Patterns.ask(region, ShardRegion.getShardRegionStateInstance(), Duration.ofSeconds(10))
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
    return state.getShards().stream().mapToInt(shard -> shard.getEntityIds().size()).sum();
  }
}
