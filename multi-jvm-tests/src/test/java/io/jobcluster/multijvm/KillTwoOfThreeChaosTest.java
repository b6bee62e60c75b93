package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario g: {@code kill -9} two of three nodes under load, then bring the cluster back. With the
 * configured Split Brain Resolver ({@code keep-majority}, {@code stable-after = 5s}, see
 * {@code cluster.conf}) the lone survivor is the minority (1 of 3): it downs itself and its JVM
 * exits, so nothing is left running. The test asserts exactly that, then starts all three nodes
 * again (node-0 founds the cluster anew, the others join it): the cluster re-forms from the
 * journal, and every job acknowledged before, during and after the loss completes.
 */
@MultiJvmTest
class KillTwoOfThreeChaosTest {
  static final String SCENARIO = "g. kill -9 two of three nodes, then restart them";
  private static final double PER_SECOND = 20;
  private static final int KILL_AFTER = 300;
  /** Failure detection (~5 s), stable-after (5 s), then coordinated shutdown; generous for a loaded machine. */
  private static final Duration SELF_DOWN_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration REFORM_TIMEOUT = Duration.ofMinutes(3);
  private static final int AFTER_REFORM = 200;
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(2);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void theLoneSurvivorDownsItselfAndTheRestartedClusterCompletesEveryAcknowledgedJob() {
    long started = System.nanoTime();
    try (ChaosCluster chaos = ChaosCluster.start("KillTwoOfThreeChaosTest", POSTGRES, 3, Map.of())) {
      NodeCluster cluster = chaos.cluster();
      ExecutionLedger ledger = chaos.ledger();
      NodeProcess survivor = cluster.node(0);
      List<NodeProcess> victims = List.of(cluster.node(1), cluster.node(2));
      OpenEndedLoad load = OpenEndedLoad.start(chaos, "g", HoldMix.mixed(), PER_SECOND);
      Poll.until(KILL_AFTER + " jobs acknowledged and calls running on both victims", RUNNING_TIMEOUT,
          () -> load.acknowledgedSoFar() >= KILL_AFTER
              && victims.stream().allMatch(node -> !ledger.heldOn(node.clusterAddress(), Instant.now()).isEmpty()));
      List<String> dispatcherBefore = chaos.dispatcherNodes("default");
      long inFlight = ledger.held();

      Instant kill = Instant.now();
      victims.forEach(NodeProcess::kill9);
      Poll.until(survivor.name() + " exits by itself", SELF_DOWN_TIMEOUT, () -> !survivor.isAlive());
      Instant survivorGone = Instant.now();
      int survivorExit = survivor.exitCode().orElseThrow();
      boolean exitedByItself = survivor.crashed();
      List<String> decision = survivor.logLinesContaining("SBR took decision");

      Instant restart = Instant.now();
      cluster.restart(0);
      Instant founded = Instant.now();
      CompletableFuture.allOf(CompletableFuture.runAsync(() -> cluster.restart(1)), CompletableFuture.runAsync(() -> cluster.restart(2)))
          .join();
      cluster.awaitMembers(3, REFORM_TIMEOUT);
      Instant reformed = Instant.now();
      int acknowledgedAtReform = load.acknowledgedSoFar();
      Poll.until(AFTER_REFORM + " more jobs acknowledged after the cluster re-formed", RUNNING_TIMEOUT,
          () -> load.acknowledgedSoFar() >= acknowledgedAtReform + AFTER_REFORM);

      JobLoad.Outcome outcome = load.stopAndAwait(LOAD_TIMEOUT);
      LoadCheck.Verdict verdict = LoadCheck.awaitCompleted(chaos::anyClient, outcome, ledger, COMPLETION_TIMEOUT);
      ReliabilityReport.record(ReliabilityReport.Row.of(SCENARIO, verdict, chaos::nodeName,
          "kill → " + survivor.name() + " downed itself and exited (code " + survivorExit + ") after "
              + ReliabilityReport.seconds(Duration.between(kill, survivorGone)) + "; restart → " + survivor.name() + " ready alone "
              + ReliabilityReport.seconds(Duration.between(restart, founded)) + ", 3 members "
              + ReliabilityReport.seconds(Duration.between(restart, reformed)) + " (nodes 1 and 2 started together); kill → cluster back "
              + ReliabilityReport.seconds(Duration.between(kill, reformed)),
          Duration.ofNanos(System.nanoTime() - started),
          "killed node-1 and node-2 after " + KILL_AFTER + " acknowledgements, " + inFlight + " calls running; Split Brain Resolver "
              + "keep-majority, stable-after 5 s; the survivor's decision: "
              + (decision.isEmpty() ? "none logged" : decision.get(0).substring(0, Math.min(240, decision.get(0).length())))
              + "; queue dispatcher on " + dispatcherBefore + " before the kill; " + PER_SECOND + " jobs/s submitted throughout; hold "
              + load.mix().description() + "; submissions retried " + outcome.refusals() + ", given up " + outcome.gaveUp().size()
              + ", replayed by idempotency key " + outcome.replayed()));

      assertTrue(exitedByItself, survivor.name() + " exited by itself, not by the test");
      assertFalse(decision.isEmpty(), survivor.name() + " logged the Split Brain Resolver's decision");
      assertTrue(decision.get(0).contains("pekko://jobcluster@" + survivor.clusterAddress()), "the survivor downed itself: " + decision);
      assertTrue(verdict.lost().isEmpty(), verdict.summary());
      verdict.duplicates().forEach((jobId, runs) -> assertTrue(runs.get(0).start().isBefore(survivorGone),
          jobId + " ran twice, first while the cluster was going down: " + runs));
    }
  }
}
