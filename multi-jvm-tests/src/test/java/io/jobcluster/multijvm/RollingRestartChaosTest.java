package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario d: a rolling restart under steady load. Each node in turn (node-2, node-1, then node-0,
 * the oldest, which holds the shard coordinator) gets SIGTERM while it runs jobs, drains and exits;
 * it is started again on the same ports and the next node goes only once it is ready and the
 * cluster has three members again. No acknowledged job is lost; since every stop drains, no job
 * runs twice either.
 */
@MultiJvmTest
class RollingRestartChaosTest {
  static final String SCENARIO = "d. rolling restart of all three nodes under load";
  private static final double PER_SECOND = 20;
  private static final List<Integer> ORDER = List.of(2, 1, 0);
  /** Drain grace (20 s) plus the shutdown phases after it, with margin. */
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(2);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void restartingEveryNodeInTurnUnderLoadLosesNoJobAndRunsNoneTwice() {
    long started = System.nanoTime();
    try (ChaosCluster chaos = ChaosCluster.start("RollingRestartChaosTest", POSTGRES, 3, Map.of())) {
      ExecutionLedger ledger = chaos.ledger();
      OpenEndedLoad load = OpenEndedLoad.start(chaos, "d", HoldMix.mixed(), PER_SECOND);
      List<String> steps = new ArrayList<>();
      int inFlightAtStops = 0;
      for (int index : ORDER) {
        NodeProcess node = chaos.cluster().node(index);
        Poll.until("calls running on " + node.name(), RUNNING_TIMEOUT,
            () -> !ledger.heldOn(node.clusterAddress(), Instant.now()).isEmpty());
        Instant sigterm = Instant.now();
        int exitCode = node.terminate(EXIT_TIMEOUT);
        Instant gone = Instant.now();
        int inFlight = ledger.heldOn(node.clusterAddress(), sigterm).size();
        inFlightAtStops += inFlight;
        chaos.cluster().restart(index);
        Instant ready = Instant.now();
        chaos.cluster().awaitMembers(3);
        Instant rejoined = Instant.now();
        steps.add(node.name() + " (" + inFlight + " running, exit " + exitCode + "): exited after "
            + ReliabilityReport.seconds(Duration.between(sigterm, gone)) + ", ready "
            + ReliabilityReport.seconds(Duration.between(gone, ready)) + " after its start, 3 members "
            + ReliabilityReport.seconds(Duration.between(ready, rejoined)) + " later");
      }
      Duration roll = Duration.ofNanos(System.nanoTime() - started);

      JobLoad.Outcome outcome = load.stopAndAwait(LOAD_TIMEOUT);
      LoadCheck.Verdict verdict = LoadCheck.awaitCompleted(chaos::anyClient, outcome, ledger, COMPLETION_TIMEOUT);
      ReliabilityReport.record(ReliabilityReport.Row.of(SCENARIO, verdict, chaos::nodeName,
          "per node: " + String.join("; ", steps), Duration.ofNanos(System.nanoTime() - started),
          "SIGTERM, wait for the exit, start again, wait for 3 members; order " + ORDER.stream().map(i -> "node-" + i).toList()
              + "; " + PER_SECOND + " jobs/s submitted throughout (" + ReliabilityReport.seconds(roll)
              + " from the start to the last rejoin); hold " + load.mix().description() + "; " + inFlightAtStops
              + " jobs running on the nodes at their SIGTERMs; jobs with a failed attempt: " + verdict.withFailedAttempts().size() + " "
              + verdict.withFailedAttempts().values().stream().map(job -> String.valueOf(job.lastError())).distinct().toList()
              + "; submissions retried " + outcome.refusals() + ", replayed by idempotency key " + outcome.replayed()));

      assertTrue(outcome.gaveUp().isEmpty(), verdict.summary());
      assertEquals(outcome.submitted(), verdict.acknowledged(), verdict.summary());
      assertTrue(verdict.lost().isEmpty(), verdict.summary());
      assertTrue(verdict.duplicates().isEmpty(), verdict.summary());
    }
  }
}
