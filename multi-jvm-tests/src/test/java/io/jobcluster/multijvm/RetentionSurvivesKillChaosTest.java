package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.client.BatchItem;
import io.jobcluster.protocol.client.JobclusterApiException;
import io.jobcluster.protocol.client.JobclusterClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A retention run killed ({@code kill -9}) half-way: thousands of expired jobs, removed in small
 * batches; the node dies once the removal counter shows progress. After a restart every expired
 * job is removed (row, events, snapshots; the API answers 404) and every other job is whole.
 */
@MultiJvmTest
class RetentionSurvivesKillChaosTest {
  private static final String TENANT = "keeper";
  private static final int EXPIRED = 2000;
  private static final int KEPT_PER_KIND = 30;
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration SWEEP_TIMEOUT = Duration.ofSeconds(120);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void aRunKilledHalfWayIsFinishedAfterTheRestartAndRemovesNothingElse() {
    Map<String, String> env = new HashMap<>(PostgresNodes.env(POSTGRES));
    env.put("JOBCLUSTER_RETENTION_COMPLETED", "3s");
    env.put("JOBCLUSTER_RETENTION_INTERVAL", "1s");
    env.put("JOBCLUSTER_RETENTION_BATCH_SIZE", "50");
    env.put("JOBCLUSTER_RETENTION_BATCH_PAUSE", "100ms");
    try (NodeCluster cluster = NodeCluster.of("RetentionSurvivesKillChaosTest", ChaosCluster.withChaosSettings(env)).start(1)) {
      NodeProcess node = cluster.node(0);
      JobclusterClient admin = JobclusterClient.builder().baseUri(node.spec().baseUri()).apiKey(ChaosCluster.ADMIN_KEY).build();
      String key = admin.issueKey(TENANT, List.of("submit", "read"), "retention chaos").key();
      JobclusterClient client = JobclusterClient.builder().baseUri(node.spec().baseUri()).apiKey(key).build();

      // Kept: dead letters (FAILED keeps 30 days) and jobs waiting on a queue no worker serves.
      Set<String> kept = new HashSet<>();
      kept.addAll(submit(client, KEPT_PER_KIND, JobRequest.of("fail").withPayload("{\"times\":100,\"retryable\":false}").withMaxAttempts(1)));
      kept.addAll(submit(client, KEPT_PER_KIND, JobRequest.of("noop").withQueue("unserved")));
      Set<String> expired = new HashSet<>(submit(client, EXPIRED, JobRequest.of("noop")));

      Poll.until("some expired jobs removed", SETUP_TIMEOUT, () -> removed(node) >= 100);
      node.kill9();
      int stillThere = ids("SELECT id FROM jobs WHERE id = ANY(?)", expired).size();
      assertTrue(stillThere > 0, "the kill came before the sweep had removed every expired job");

      cluster.restart(0);
      Poll.until("every expired job removed after the restart", SWEEP_TIMEOUT,
          () -> ids("SELECT id FROM jobs WHERE id = ANY(?)", expired).isEmpty()
              && ids("SELECT persistence_id FROM event_journal WHERE persistence_id = ANY(?)", persistenceIds(expired)).isEmpty()
              && ids("SELECT persistence_id FROM snapshot WHERE persistence_id = ANY(?)", persistenceIds(expired)).isEmpty());

      assertEquals(kept, ids("SELECT id FROM jobs WHERE id = ANY(?)", kept), "every kept job's row is there");
      assertEquals(persistenceIds(kept), ids("SELECT DISTINCT persistence_id FROM event_journal WHERE persistence_id = ANY(?)",
          persistenceIds(kept)), "every kept job's events are there");
      for (String id : kept) {
        JobStatus status = client.get(id).status();
        assertTrue(status == JobStatus.FAILED || status == JobStatus.PENDING, id + " " + status);
        assertTrue(client.history(id).size() >= 1, "history of " + id);
      }
      for (String id : expired.stream().limit(100).toList()) {
        JobclusterApiException gone = assertThrows(JobclusterApiException.class, () -> client.get(id));
        assertEquals(404, gone.status(), id);
      }
    }
  }

  private static List<String> submit(JobclusterClient client, int n, JobRequest request) {
    List<String> ids = new ArrayList<>();
    for (int from = 0; from < n; from += 1000) {
      List<JobRequest> batch = IntStream.range(from, Math.min(n, from + 1000)).mapToObj(i -> request).toList();
      for (BatchItem item : client.submitBatch(batch)) {
        assertTrue(item.accepted(), String.valueOf(item.error()));
        ids.add(item.job().id());
      }
    }
    return ids;
  }

  /** The node's retention counter of removed COMPLETED jobs (0 while it cannot be read). */
  private static double removed(NodeProcess node) {
    try {
      String metrics = new NodeHttp(node.spec().managementUri()).get("/metrics").body();
      return metrics.lines().filter(line -> line.startsWith("jobcluster_retention_removed_total{") && line.contains("COMPLETED"))
          .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static Set<String> persistenceIds(Set<String> jobIds) {
    Set<String> ids = new HashSet<>();
    jobIds.forEach(id -> ids.add("Job|" + id));
    return ids;
  }

  /** The values of the first column of {@code sql}, run with {@code ids} as its one (array) parameter. */
  private static Set<String> ids(String sql, Set<String> ids) {
    DatabaseSettings db = POSTGRES.settings();
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement select = connection.prepareStatement(sql)) {
      select.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
      Set<String> found = new HashSet<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(rows.getString(1));
        }
      }
      return found;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
