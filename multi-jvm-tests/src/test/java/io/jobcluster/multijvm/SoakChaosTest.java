package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The soak: steady load for {@value #MINUTES_PROPERTY} minutes (default 60) while node-1 and
 * node-2 are killed in turn every {@value #KILL_EVERY_PROPERTY} minutes (default 5) and
 * restarted 30 s later. No acknowledged job may be lost. Tagged {@code soak}, outside the normal
 * build; see the module's README for the command.
 */
@MultiJvmTest
@Tag("soak")
class SoakChaosTest {
  static final String SCENARIO = "s. soak: periodic kill -9 and restart under load";
  static final String MINUTES_PROPERTY = "jobcluster.soak.minutes";
  static final String KILL_EVERY_PROPERTY = "jobcluster.soak.kill-every-minutes";
  private static final double PER_SECOND = 30;
  private static final Duration DOWN_FOR = Duration.ofSeconds(30);
  private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(10);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  void noAcknowledgedJobIsLostThroughHoursOfKillsAndRestarts() {
    long started = System.nanoTime();
    Duration length = Duration.ofMinutes(Long.getLong(MINUTES_PROPERTY, 60));
    Duration killEvery = Duration.ofMinutes(Long.getLong(KILL_EVERY_PROPERTY, 5));
    if (killEvery.compareTo(DOWN_FOR) <= 0) {
      throw new IllegalArgumentException(KILL_EVERY_PROPERTY + " must be at least 1 (minute)");
    }
    try (ChaosCluster chaos = ChaosCluster.start("SoakChaosTest", POSTGRES, 3, Map.of())) {
      int jobs = (int) (length.toSeconds() * PER_SECOND);
      JobLoad.Running load = chaos.load("soak", HoldMix.mixed()).steady(jobs, PER_SECOND);
      List<Duration> recoveries = new ArrayList<>();
      long end = System.nanoTime() + length.toNanos();
      for (int round = 0; System.nanoTime() + killEvery.toNanos() < end; round++) {
        Poll.pause(killEvery.minus(DOWN_FOR));
        NodeProcess victim = chaos.cluster().node(1 + round % 2);
        victim.kill9();
        Instant kill = Instant.now();
        Poll.pause(DOWN_FOR);
        chaos.cluster().restart(1 + round % 2);
        chaos.cluster().awaitMembers(3);
        chaos.ledger().redispatchOf(victim.clusterAddress(), kill).last().ifPresent(recoveries::add);
      }
      JobLoad.Outcome outcome = load.await(length.plus(JobLoad.GIVE_UP_AFTER));
      LoadCheck.Verdict verdict = LoadCheck.awaitCompleted(chaos::anyClient, outcome, chaos.ledger(), COMPLETION_TIMEOUT);
      String recovery = recoveries.isEmpty() ? "no kill"
          : recoveries.size() + " kills; their jobs ran again elsewhere after at most "
              + ReliabilityReport.seconds(recoveries.stream().max(Duration::compareTo).orElseThrow());
      ReliabilityReport.record(ReliabilityReport.Row.of(SCENARIO, verdict, chaos::nodeName, recovery,
          Duration.ofNanos(System.nanoTime() - started),
          length.toMinutes() + " min at " + PER_SECOND + " jobs/s; node-1 and node-2 killed in turn every " + killEvery.toMinutes()
              + " min, restarted after " + DOWN_FOR.toSeconds() + " s; submissions retried " + outcome.refusals()));

      assertTrue(verdict.lost().isEmpty(), verdict.summary());
      assertTrue(outcome.gaveUp().isEmpty(), verdict.summary());
    }
  }
}
