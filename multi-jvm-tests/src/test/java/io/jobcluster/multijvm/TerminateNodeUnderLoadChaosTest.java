package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.JobTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario c: SIGTERM one of three nodes under steady load. The node drains: its running jobs
 * finish (or would be handed back, uncharged, after {@code jobcluster.worker.drain-grace}), so no
 * job is lost, none runs twice, and no attempt fails.
 */
@MultiJvmTest
class TerminateNodeUnderLoadChaosTest {
  static final String SCENARIO = "c. SIGTERM one of three nodes under load";
  private static final int JOBS = 2000;
  private static final double PER_SECOND = 30;
  private static final int STOP_AFTER = 500;
  /** Drain grace (20 s) plus the shutdown phases after it, with margin. */
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(2);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void aDrainingNodeLosesNothingRunsNothingTwiceAndFailsNoAttempt() {
    long started = System.nanoTime();
    try (ChaosCluster chaos = ChaosCluster.start("TerminateNodeUnderLoadChaosTest", POSTGRES, 3, Map.of())) {
      NodeProcess victim = chaos.cluster().node(2);
      ExecutionLedger ledger = chaos.ledger();
      HoldMix mix = HoldMix.mixed();
      JobLoad.Running load = chaos.load("c", mix).steady(JOBS, PER_SECOND);

      chaos.awaitLoadRunningOn(load, STOP_AFTER, victim, LOAD_TIMEOUT);
      List<String> dispatcherBefore = chaos.dispatcherNodes("default");
      Instant sigterm = Instant.now();
      int exitCode = victim.terminate(EXIT_TIMEOUT);
      Duration drained = Duration.between(sigterm, Instant.now());
      List<ExecutionLedger.Execution> inFlight = ledger.heldOn(victim.clusterAddress(), sigterm);

      JobLoad.Outcome outcome = load.await(LOAD_TIMEOUT);
      LoadCheck.Verdict verdict = LoadCheck.awaitCompleted(chaos::anyClient, outcome, ledger, COMPLETION_TIMEOUT);
      // The history of each job that was running on the node at the SIGTERM: how its attempt ended.
      Map<String, List<JobTransition>> histories = new TreeMap<>();
      inFlight.forEach(run -> histories.put(run.jobId(), chaos.anyClient().history(run.jobId())));
      long handedBack = histories.values().stream().filter(TerminateNodeUnderLoadChaosTest::wasHandedBack).count();
      ReliabilityReport.record(ReliabilityReport.Row.of(SCENARIO, verdict, chaos::nodeName,
          "SIGTERM → exit (drain, hand-off): " + ReliabilityReport.seconds(drained),
          Duration.ofNanos(System.nanoTime() - started),
          "stopped " + victim.name() + " after " + STOP_AFTER + " acknowledgements, exit code " + exitCode + "; " + PER_SECOND
              + " jobs/s submitted; hold " + mix.description() + "; jobs running on it at the SIGTERM: " + inFlight.size()
              + ", handed back: " + handedBack + "; failed attempts: " + verdict.withFailedAttempts().size()
              + "; queue dispatcher on " + dispatcherBefore + " before the stop; submissions retried " + outcome.refusals()
              + ", replayed by idempotency key " + outcome.replayed()));

      chaos.cluster().awaitMembers(2);
      assertEquals(JOBS, verdict.acknowledged(), verdict.summary());
      assertTrue(verdict.lost().isEmpty(), verdict.summary());
      assertTrue(verdict.duplicates().isEmpty(), verdict.summary());
      assertTrue(verdict.withFailedAttempts().isEmpty(), "jobs with a failed attempt: " + verdict.withFailedAttempts());
      assertFalse(inFlight.isEmpty(), "jobs were running on " + victim.name() + " at the SIGTERM");
      histories.forEach((jobId, history) -> assertTrue(history.stream().noneMatch(TerminateNodeUnderLoadChaosTest::attemptFailed),
          jobId + " was running on the stopped node; no attempt of it may fail: " + history));
    }
  }

  private static boolean attemptFailed(JobTransition transition) {
    return transition.from() == JobStatus.RUNNING && (transition.to() == JobStatus.RETRYING || transition.to() == JobStatus.FAILED);
  }

  private static boolean wasHandedBack(List<JobTransition> history) {
    return history.stream().anyMatch(transition -> transition.from() == JobStatus.RUNNING && transition.to() == JobStatus.PENDING);
  }
}
