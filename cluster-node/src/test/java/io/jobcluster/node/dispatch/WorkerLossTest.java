package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.jobcluster.node.FreePorts;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.worker.TestHandlers;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.WorkerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three nodes in one JVM. One node crashes while its workers hold leases (its actor system stops
 * without coordinated shutdown: no drain, no leave); the split brain resolver downs it, the
 * dispatcher ends its leases at once, and the jobs run on the other nodes within seconds, long
 * before their 10-minute lease timeout.
 */
class WorkerLossTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String QUEUE_CONFIG = "jobcluster.worker-queues = \"spread:3\"\n";
  /** Failure detection, the resolver's stable-after (5 s) and removal, with margin for a busy machine. */
  private static final Duration REDISPATCH_LIMIT = Duration.ofSeconds(45);

  @Test
  void leasesOfADownedNodeAreDispatchedToTheOthersWithinSeconds() throws Exception {
    int seedPort = FreePorts.next();
    String seed = "127.0.0.1:" + seedPort;
    List<JobclusterNode> nodes = new ArrayList<>();
    try {
      nodes.add(TestNodes.start(POSTGRES.settings(), seedPort, "", QUEUE_CONFIG));
      // Stopping these actor systems must look like a crash: no drain, no hand-back, no leaving.
      String crashOnStop = "pekko.coordinated-shutdown.run-by-actor-system-terminate = off\n";
      nodes.add(TestNodes.start(POSTGRES.settings(), FreePorts.next(), seed, QUEUE_CONFIG + crashOnStop));
      nodes.add(TestNodes.start(POSTGRES.settings(), FreePorts.next(), seed, QUEUE_CONFIG + crashOnStop));
      JobclusterNode first = nodes.get(0);
      awaitMembers(first, 3);

      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ids.add(Jobs.submit(first.jobs(), JobRequest.of("gate").withQueue("spread").withTimeoutSeconds(600)).id());
      }
      for (String id : ids) {
        TestHandlers.started(id).get(60, TimeUnit.SECONDS);
      }
      Map<String, JobView> running = Jobs.awaitStatus(first.jobs(), ids, JobStatus.RUNNING, Duration.ofSeconds(60));
      String dispatcherNode = DispatcherStatus.of(first, "spread").node();

      JobclusterNode victim = nodes.subList(1, 3).stream()
          .filter(node -> !node.nodeId().equals(dispatcherNode))
          .filter(node -> running.values().stream().anyMatch(job -> WorkerId.runsOn(job.workerId(), node.nodeId())))
          .findFirst().orElseThrow(() -> new AssertionError("no node without the dispatcher holds leases: " + running));
      List<String> lost = running.values().stream()
          .filter(job -> WorkerId.runsOn(job.workerId(), victim.nodeId()))
          .map(JobView::id).collect(Collectors.toList());

      Instant crashedAt = Instant.now();
      victim.system().terminate();

      Map<String, JobView> moved = Jobs.await(first.jobs(), lost,
          job -> job.status() == JobStatus.RUNNING && !WorkerId.runsOn(job.workerId(), victim.nodeId()), REDISPATCH_LIMIT,
          "RUNNING on a surviving node");
      Duration redispatched = Duration.between(crashedAt, Instant.now());
      LoggerFactory.getLogger(WorkerLossTest.class).info("leases of the crashed node re-dispatched after {} ms (lease timeout 600 s)",
          redispatched.toMillis());

      for (String id : ids) {
        TestHandlers.gate(id).complete(null);
      }
      Map<String, JobView> completed = Jobs.awaitStatus(first.jobs(), ids, JobStatus.COMPLETED, Duration.ofSeconds(60));
      for (String id : lost) {
        assertEquals(1, completed.get(id).attempts(), "a lost worker's attempt is not charged");
        assertNotEquals(running.get(id).workerId(), moved.get(id).workerId());
      }
    } finally {
      for (JobclusterNode node : nodes) {
        node.close();
      }
    }
  }

  private static void awaitMembers(JobclusterNode node, int members) {
    Awaitility.await("the cluster reaching " + members + " members").atMost(Duration.ofSeconds(60))
        .until(() -> node.readiness().toCompletableFuture().get(30, TimeUnit.SECONDS).members() >= members);
  }
}
