package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.WorkerId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backstops behind the direct paths: a lease held on a node that left the cluster before any
 * dispatcher watched its pool, and a deadline whose entity was not running when it passed.
 */
class BackstopTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String FAST_RECONCILE = "jobcluster.dispatch.reconcile-interval = 1s\n";

  private static final String GHOST_NODE = "127.0.0.1:1#1";

  @Test
  void aLeaseHeldOnANodeThatIsNoLongerAMemberIsEndedByReconciliationAndTheJobRunsAgain() throws Exception {
    try (JobclusterNode node = TestNodes.start(POSTGRES.settings(), FAST_RECONCILE + "jobcluster.worker-queues = \"\"")) {
      // Leased by hand to a worker on a node that is not in the cluster, as if that node had died
      // together with the dispatcher that watched its pool.
      JobView lost = Jobs.submit(node.jobs(), JobRequest.of("count").withQueue("lostnode").withTimeoutSeconds(3600));
      Jobs.view(node.jobs().lease(lost.id(), "ghost-lease", new WorkerId(GHOST_NODE, "lostnode").toString(), GHOST_NODE, null, TIMEOUT).toCompletableFuture()
          .get(30, TimeUnit.SECONDS));

      awaitEvent(node.system(), lost.id(),
          event -> event instanceof JobEvent.AttemptFailed failed && failed.cause() == FailureCause.WORKER_LOST);
      try (JobclusterNode worker = TestNodes.start(POSTGRES.settings(), FAST_RECONCILE + "jobcluster.worker-queues = \"lostnode:1\"",
          node.clusterAddress())) {
        JobView done = Jobs.awaitStatus(worker.jobs(), List.of(lost.id()), JobStatus.COMPLETED, TIMEOUT).get(lost.id());
        assertEquals(1, done.attempts(), "the lost attempt is not charged");
        assertTrue(!WorkerId.runsOn(done.workerId(), GHOST_NODE), done.workerId());
      }
    }
  }

  @Test
  void aDeadlineWhoseEntityIsNotRunningIsFiredByTheSweep() throws Exception {
    // Without remembered entities nothing restarts the job's entity: only the sweep can.
    String forgetful = "pekko.cluster.sharding.remember-entities = off\njobcluster.worker-queues = \"\"\n";
    String id;
    Instant runAt;
    try (JobclusterNode node = TestNodes.start(POSTGRES.settings(), forgetful)) {
      runAt = Instant.now().plusSeconds(8);
      id = Jobs.submit(node.jobs(), JobRequest.of("count").withQueue("sleepy").withRunAt(runAt)).id();
      awaitReadModel(node, id);
      assertTrue(Instant.now().isBefore(runAt), "the job became due while its node still ran; the test proves nothing");
    }
    waitUntil(runAt);
    String sweepFast = forgetful + "jobcluster.deadline-sweep { interval = 1s, grace = 1s }\n";
    try (JobclusterNode node = TestNodes.start(POSTGRES.settings(), sweepFast)) {
      // Watched through the journal: a read of the job would itself wake its entity.
      awaitEvent(node.system(), id, JobEvent.MadePending.class::isInstance);
    }
  }

  private static void awaitEvent(ActorSystem<?> system, String jobId, Predicate<JobEvent> wanted) {
    Awaitility.await("the expected event of job " + jobId).atMost(TIMEOUT).untilAsserted(() -> {
      List<JobEvent> events = JournalEvents.of(system, jobId);
      assertTrue(events.stream().anyMatch(wanted), () -> "job " + jobId + " never got the expected event: " + events);
    });
  }

  private static void awaitReadModel(JobclusterNode node, String jobId) {
    Awaitility.await("the read model showing job " + jobId).atMost(TIMEOUT)
        .until(() -> node.queries().overdue(Instant.now().plusSeconds(3600), 1000).toCompletableFuture().get(30, TimeUnit.SECONDS).stream()
            .anyMatch(job -> job.jobId().equals(jobId)));
  }

  /** The deadline has to pass while no node runs: wait for the clock, not for another thread. */
  private static void waitUntil(Instant instant) {
    Duration left = Duration.between(Instant.now(), instant);
    if (!left.isNegative()) {
      pause(left.plusMillis(200));
    }
  }

  private static void pause(Duration duration) {
    CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(duration.toMillis(), TimeUnit.MILLISECONDS)).join();
  }
}
