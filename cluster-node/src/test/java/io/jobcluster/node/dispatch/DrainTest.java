package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.worker.TestHandlers;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that shuts down (as on SIGTERM or a spot interruption) with attempts in flight: those that
 * finish within the grace period report their result, the rest are handed back without charging an
 * attempt, and another node runs them. Nothing is lost.
 */
class DrainTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void drainingFinishesWhatItCanWithinTheGraceAndHandsBackTheRestUncharged() throws Exception {
    List<JobView> finishing = new ArrayList<>();
    List<JobView> handedBack = new ArrayList<>();
    String drainingWorker;
    JobclusterNode first = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"drain:4\"\njobcluster.worker.drain-grace = 8s");
    try {
      for (int i = 0; i < 4; i++) {
        JobView job = Jobs.submit(first.jobs(), JobRequest.of("gate").withQueue("drain").withTimeoutSeconds(600));
        (i < 2 ? finishing : handedBack).add(job);
      }
      for (JobView job : finishing) {
        TestHandlers.started(job.id()).get(30, TimeUnit.SECONDS);
      }
      for (JobView job : handedBack) {
        TestHandlers.started(job.id()).get(30, TimeUnit.SECONDS);
      }
      drainingWorker = Jobs.get(first.jobs(), finishing.get(0).id()).workerId();

      CompletableFuture<Void> shutdown = CompletableFuture.runAsync(first::close);
      awaitLeaving(first);
      for (JobView job : finishing) {
        TestHandlers.gate(job.id()).complete(null);
      }
      shutdown.get(60, TimeUnit.SECONDS);
    } finally {
      first.close();
    }

    for (JobView job : handedBack) {
      TestHandlers.gate(job.id()).complete(null);
    }
    try (JobclusterNode second = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"drain:4\"")) {
      List<String> all = new ArrayList<>();
      finishing.forEach(job -> all.add(job.id()));
      handedBack.forEach(job -> all.add(job.id()));
      Map<String, JobView> completed = Jobs.awaitStatus(second.jobs(), all, JobStatus.COMPLETED, TIMEOUT);

      for (JobView job : finishing) {
        assertEquals(1, completed.get(job.id()).attempts());
        assertEquals(drainingWorker, completed.get(job.id()).workerId(), "finished on the draining node");
      }
      for (JobView job : handedBack) {
        JobView done = completed.get(job.id());
        assertEquals(1, done.attempts(), "a handed-back attempt is not charged");
        assertTrue(!drainingWorker.equals(done.workerId()), "ran again on the new node");
        assertEquals(1, JournalEvents.ofType(second.system(), job.id(), JobEvent.HandedBack.class).size());
        assertTrue(JournalEvents.ofType(second.system(), job.id(), JobEvent.AttemptFailed.class).isEmpty(), "no failed attempt");
      }
    }
  }

  /**
   * A node the cluster downed (here: the downing reason given to its shutdown, as the split brain
   * resolver does on a partition's minority) must not keep running its attempts through the drain
   * grace: the majority ends those leases and runs the jobs again within seconds. Nor may it hand
   * them back: the majority may host their entities by then, and a handed-back attempt waited on
   * entities a downed node cannot reach (its drain timed out in every partition run of chaos
   * scenario h). The survivor ends them as worker_lost instead.
   */
  @Test
  void aDownedNodeStopsItsAttemptsAtOnceInsteadOfUsingTheGrace() throws Exception {
    List<JobView> jobs = new ArrayList<>();
    JobclusterNode downed = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"drain:2\"\njobcluster.worker.drain-grace = 300s");
    try {
      for (int i = 0; i < 2; i++) {
        jobs.add(Jobs.submit(downed.jobs(), JobRequest.of("gate").withQueue("drain").withTimeoutSeconds(600)));
      }
      List<CompletableFuture<Void>> cancellations = new ArrayList<>();
      for (JobView job : jobs) {
        cancellations.add(TestHandlers.started(job.id()).get(30, TimeUnit.SECONDS).cancellation().toCompletableFuture());
      }

      CoordinatedShutdown.get(downed.system()).run(CoordinatedShutdown.clusterDowningReason());
      // Well within the 300 s grace a downed node would otherwise give them.
      CompletableFuture.allOf(cancellations.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      downed.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } finally {
      downed.close();
    }

    jobs.forEach(job -> TestHandlers.gate(job.id()).complete(null));
    try (JobclusterNode survivor = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"drain:2\"")) {
      Map<String, JobView> completed = Jobs.awaitStatus(survivor.jobs(), jobs.stream().map(JobView::id).toList(), JobStatus.COMPLETED, TIMEOUT);
      assertEquals(jobs.size(), completed.size(), "nothing lost");
      for (JobView job : jobs) {
        assertTrue(JournalEvents.ofType(survivor.system(), job.id(), JobEvent.HandedBack.class).isEmpty(), "a downed node hands nothing back");
      }
    }
  }

  /** Waits until the pool of queue "drain" told its dispatcher that it is leaving. */
  private static void awaitLeaving(JobclusterNode node) {
    Awaitility.await("the pool of queue drain leaving").atMost(TIMEOUT).untilAsserted(() -> {
      var status = DispatcherStatus.of(node, "drain");
      assertTrue(status.pools().stream().anyMatch(pool -> pool.leaving()), () -> "the pool never started draining: " + status);
    });
  }
}
