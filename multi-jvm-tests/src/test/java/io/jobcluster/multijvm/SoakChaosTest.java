package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The soak: steady load on three nodes for a long time (an hour by default) while, every few
 * minutes, one node in turn is killed ({@code kill -9}) or stopped (SIGTERM), alternately, and
 * started again once the cluster has settled without it. Every acknowledged job must complete;
 * only jobs running on a killed node at its kill may run twice. Tagged {@code soak}, which the
 * build leaves out unless {@code -Dsoak.excluded=none} (see the module README):
 * {@code -Djobcluster.soak.minutes} sets the length, {@code -Djobcluster.soak.disturb-every-seconds}
 * the pace of disturbances.
 */
@Tag("soak")
@MultiJvmTest
class SoakChaosTest {
  static final String SCENARIO = "s. soak: load with periodic kills and restarts";
  private static final Duration LENGTH = Duration.ofMinutes(Long.getLong("jobcluster.soak.minutes", 60));
  private static final Duration DISTURB_EVERY = Duration.ofSeconds(Long.getLong("jobcluster.soak.disturb-every-seconds", 180));
  private static final double PER_SECOND = 15;
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(5);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  /**
   * Overrides the module's 5-minute default (junit-platform.properties), which had stopped every
   * soak longer than about four minutes. The soak bounds itself: the disturbances end at
   * {@code LENGTH}, and every wait after that has its own timeout.
   */
  @Test
  @Timeout(value = 1, unit = TimeUnit.DAYS)
  void anHourOfLoadWithPeriodicKillsAndRestartsLosesNoJob() {
    long started = System.nanoTime();
    try (ChaosCluster chaos = ChaosCluster.start("SoakChaosTest", POSTGRES, 3, Map.of())) {
      NodeCluster cluster = chaos.cluster();
      ExecutionLedger ledger = chaos.ledger();
      OpenEndedLoad load = OpenEndedLoad.start(chaos, "s", HoldMix.mixed(), PER_SECOND);
      Instant end = Instant.now().plus(LENGTH);
      Set<String> inFlightAtKills = new HashSet<>();
      List<String> events = new ArrayList<>();
      Duration longestBack = Duration.ZERO;
      for (int round = 0; Instant.now().plus(DISTURB_EVERY).isBefore(end); round++) {
        Poll.pause(DISTURB_EVERY);
        int index = round % 3;
        NodeProcess node = cluster.node(index);
        boolean kill = round % 2 == 0;
        Instant at = Instant.now();
        if (kill) {
          node.kill9();
          ledger.heldOn(node.clusterAddress(), at).forEach(run -> inFlightAtKills.add(run.jobId()));
        } else {
          node.terminate(EXIT_TIMEOUT);
        }
        cluster.awaitMembers(2);
        cluster.restart(index);
        cluster.awaitMembers(3);
        Duration back = Duration.between(at, Instant.now());
        longestBack = back.compareTo(longestBack) > 0 ? back : longestBack;
        events.add((kill ? "kill -9 " : "SIGTERM ") + node.name() + " at +"
            + ReliabilityReport.seconds(Duration.ofNanos(System.nanoTime() - started)) + ", 3 members again after "
            + ReliabilityReport.seconds(back));
      }
      Poll.pause(Duration.between(Instant.now(), end).isNegative() ? Duration.ZERO : Duration.between(Instant.now(), end));

      JobLoad.Outcome outcome = load.stopAndAwait(LOAD_TIMEOUT);
      LoadCheck.Verdict verdict = LoadCheck.awaitCompleted(chaos::anyClient, outcome, ledger, COMPLETION_TIMEOUT);
      ReliabilityReport.record(ReliabilityReport.Row.of(SCENARIO, verdict, chaos::nodeName,
          events.size() + " disturbances, the slowest back to 3 members after " + ReliabilityReport.seconds(longestBack),
          Duration.ofNanos(System.nanoTime() - started),
          LENGTH.toMinutes() + " min of " + PER_SECOND + " jobs/s (hold " + load.mix().description() + "), one node every "
              + DISTURB_EVERY.toSeconds() + " s, kill -9 and SIGTERM in turn: " + String.join("; ", events)
              + "; submissions retried " + outcome.refusals() + ", given up " + outcome.gaveUp().size()
              + ", replayed by idempotency key " + outcome.replayed()));

      assertTrue(verdict.lost().isEmpty(), verdict.summary());
      assertTrue(outcome.gaveUp().isEmpty(), verdict.summary());
      assertTrue(inFlightAtKills.containsAll(verdict.duplicates().keySet()),
          "only jobs running on a killed node at its kill ran twice: " + verdict.summary());
    }
  }
}
