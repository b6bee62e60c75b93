package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.wire.JobTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario b: {@code kill -9} one of three nodes under steady load. Every acknowledged job
 * completes; only jobs that were running on the killed node run twice; and the jobs it was running
 * run again elsewhere within a bound (the report records the real figure).
 */
@MultiJvmTest
class KillNodeUnderLoadChaosTest {
  static final String SCENARIO = "b. kill -9 one of three nodes under load";
  private static final int JOBS = 2000;
  private static final double PER_SECOND = 30;
  /** The kill comes once this many jobs were acknowledged: the load is well under way. */
  private static final int KILL_AFTER = 500;
  /** Generous: the aim is 15 s (failure detection + Split Brain Resolver + re-dispatch); CI machines vary. */
  private static final Duration REDISPATCH_BOUND = Duration.ofSeconds(60);
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(2);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void everyAcceptedJobCompletesAndOnlyTheKilledNodesJobsRunTwice() {
    long started = System.nanoTime();
    try (ChaosCluster chaos = ChaosCluster.start("KillNodeUnderLoadChaosTest", POSTGRES, 3, Map.of())) {
      NodeProcess victim = chaos.cluster().node(2);
      ExecutionLedger ledger = chaos.ledger();
      HoldMix mix = HoldMix.mixed();
      JobLoad.Running load = chaos.load("b", mix).steady(JOBS, PER_SECOND);

      chaos.awaitLoadRunningOn(load, KILL_AFTER, victim, LOAD_TIMEOUT);
      List<String> dispatcherBefore = chaos.dispatcherNodes("default");
      victim.kill9();
      // Taken once the process is gone: SIGKILL lands some milliseconds after it is sent, and the
      // node may start calls until then.
      Instant kill = Instant.now();

      JobLoad.Outcome outcome = load.await(LOAD_TIMEOUT);
      LoadCheck.Verdict verdict = LoadCheck.awaitCompleted(chaos::anyClient, outcome, ledger, COMPLETION_TIMEOUT);
      ExecutionLedger.Redispatch redispatch = ledger.redispatchOf(victim.clusterAddress(), kill);
      Map<String, JobTransition> lostAttempts = LoadCheck.failedAttemptsAfter(chaos::anyClient, verdict.duplicates().keySet(), kill);
      String recovery = redispatch.last().map(last -> "kill → the last of its " + redispatch.rerun().size()
          + " lost jobs started elsewhere: " + ReliabilityReport.seconds(last)
          + " (first " + ReliabilityReport.seconds(redispatch.first().orElseThrow()) + "); "
          + chaos.downingSteps(victim, kill) + ", lost attempts ended " + spread(lostAttempts, kill))
          .orElse("nothing was running on it");
      ReliabilityReport.record(ReliabilityReport.Row.of(SCENARIO, verdict, chaos::nodeName, recovery,
          Duration.ofNanos(System.nanoTime() - started),
          "killed " + victim.name() + " after " + KILL_AFTER + " acknowledgements; " + PER_SECOND + " jobs/s submitted; hold "
              + mix.description() + "; " + ChaosCluster.WORKER_QUEUES + " per node; queue dispatcher on " + dispatcherBefore
              + " before the kill; submissions retried " + outcome.refusals() + ", replayed by idempotency key "
              + outcome.replayed() + "; calls held on the killed node at the kill: " + redispatch.inFlight().size()
              + ", of them not run again: " + redispatch.notRerun().size()
              + "; how the lost attempts ended: " + lostAttempts.values().stream().map(JobTransition::detail).distinct().toList()));

      chaos.cluster().awaitMembers(2);
      assertEquals(JOBS, verdict.acknowledged(), verdict.summary());
      assertTrue(verdict.lost().isEmpty(), verdict.summary());
      // The kill must hit work: calls held at that instant, or calls answered whose result the node never reported.
      assertFalse(redispatch.inFlight().isEmpty() && redispatch.rerun().isEmpty(), "the kill of " + victim.name() + " hit no job: " + redispatch);
      verdict.duplicates().forEach((jobId, runs) -> {
        ExecutionLedger.Execution first = runs.get(0);
        assertEquals(victim.clusterAddress(), first.node(), jobId + " first ran on the killed node: " + runs);
        assertTrue(first.start().isBefore(kill), jobId + " first ran before the kill: " + runs);
        assertEquals(1, runs.stream().filter(run -> !run.node().equals(victim.clusterAddress())).count(),
            jobId + " ran once on the survivors: " + runs);
      });
      Duration last = redispatch.last()
          .orElseThrow(() -> new AssertionError("none of the jobs running on " + victim.name() + " ran again: " + redispatch));
      assertTrue(last.compareTo(REDISPATCH_BOUND) <= 0, "the killed node's jobs ran again elsewhere after " + last);
    }
  }

  /** "after 10.9 s to 17.5 s": from the kill until the first and the last of the attempts ended. */
  private static String spread(Map<String, JobTransition> ends, Instant kill) {
    List<Duration> after = ends.values().stream().map(end -> Duration.between(kill, end.at())).sorted().toList();
    return after.isEmpty() ? "(none found)"
        : "after " + ReliabilityReport.seconds(after.get(0)) + " to " + ReliabilityReport.seconds(after.get(after.size() - 1));
  }
}
