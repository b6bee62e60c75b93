package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.persistence.testing.PostgresServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario e: PostgreSQL stops for 10 s under steady load on three nodes. While it is down, every
 * submission is answered, fast, with {@code 503} (probes sent one by one, never retried, measure
 * it); once it is back the cluster recovers by itself (every node ready, submissions acknowledged
 * again); and every job acknowledged before, during or after the outage completes.
 */
@MultiJvmTest
class DatabaseOutageChaosTest {
  static final String SCENARIO = "e. PostgreSQL stopped for 10 s under load";
  private static final double PER_SECOND = 20;
  private static final Duration OUTAGE = Duration.ofSeconds(10);
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
  /** The node answers 503 within jobcluster.http.unavailable-check-after (3 s) of the probe; generous for a loaded machine. */
  private static final Duration ANSWER_BOUND = Duration.ofSeconds(10);
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(90);
  /** Load acknowledged after the recovery before the load stops: the cluster works again, not just once. */
  private static final int AFTER_RECOVERY = 200;
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(2);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void submissionsAnswer503FastDuringTheOutageAndNoAcknowledgedJobIsLost() {
    long started = System.nanoTime();
    PostgresServer database = POSTGRES.server();
    try (ChaosCluster chaos = ChaosCluster.start("DatabaseOutageChaosTest", POSTGRES, 3, Map.of())) {
      ExecutionLedger ledger = chaos.ledger();
      OpenEndedLoad load = OpenEndedLoad.start(chaos, "e", HoldMix.mixed(), PER_SECOND);
      Poll.until("200 jobs acknowledged and calls running", RECOVERY_TIMEOUT,
          () -> load.acknowledgedSoFar() >= 200 && ledger.held() > 0);
      SubmissionProbe probe = SubmissionProbe.start(chaos, "e-probe", HoldMix.uniform(50, 150), PROBE_INTERVAL);
      Poll.until("10 probes answered", RECOVERY_TIMEOUT, () -> probe.probes().size() >= 10);

      long runningAtStop = ledger.held();
      Instant stopping = Instant.now();
      Instant down;
      Instant restarting;
      Instant up;
      try {
        database.stop();
        down = Instant.now();
        Poll.holdsFor("the database stays down", OUTAGE, () -> !database.isRunning());
      } finally {
        restarting = Instant.now();
        database.start();
        up = Instant.now();
      }
      Poll.until("a probe sent after the restart is acknowledged", RECOVERY_TIMEOUT,
          () -> probe.sentFrom(up).stream().anyMatch(SubmissionProbe.Probe::acknowledged));
      SubmissionProbe.Probe firstBack = probe.sentFrom(up).stream().filter(SubmissionProbe.Probe::acknowledged).findFirst().orElseThrow();
      chaos.cluster().awaitMembers(3, RECOVERY_TIMEOUT);
      Instant allReady = Instant.now();
      int acknowledgedAtReady = load.acknowledgedSoFar();
      Poll.until(AFTER_RECOVERY + " more jobs acknowledged after the recovery", RECOVERY_TIMEOUT,
          () -> load.acknowledgedSoFar() >= acknowledgedAtReady + AFTER_RECOVERY);

      List<SubmissionProbe.Probe> probes = probe.stop();
      JobLoad.Outcome outcome = load.stopAndAwait(LOAD_TIMEOUT);
      LoadCheck.Verdict verdict = LoadCheck.awaitCompleted(chaos::anyClient, SubmissionProbe.withProbes(outcome, probes), ledger,
          COMPLETION_TIMEOUT);
      // Probes sent while the database was down and answered before it was started again.
      List<SubmissionProbe.Probe> during = probes.stream()
          .filter(p -> !p.sent().isBefore(down) && p.sent().plus(p.took()).isBefore(restarting)).toList();
      List<SubmissionProbe.Probe> sentDuring = probes.stream()
          .filter(p -> !p.sent().isBefore(down) && p.sent().isBefore(restarting)).toList();
      Duration longest = SubmissionProbe.longest(sentDuring, p -> true).orElse(Duration.ZERO);
      Duration longestBefore = SubmissionProbe.longest(probes, p -> p.sent().plus(p.took()).isBefore(stopping)).orElse(Duration.ZERO);
      ReliabilityReport.record(ReliabilityReport.Row.of(SCENARIO, verdict, chaos::nodeName,
          "restart → first acknowledged submission " + ReliabilityReport.seconds(Duration.between(up, firstBack.sent().plus(firstBack.took())))
              + ", every node ready " + ReliabilityReport.seconds(Duration.between(up, allReady))
              + "; during the outage submissions answered " + SubmissionProbe.byStatus(sentDuring) + ", slowest answer "
              + ReliabilityReport.seconds(longest) + " (answered before it: " + ReliabilityReport.seconds(longestBefore) + ")",
          Duration.ofNanos(System.nanoTime() - started),
          "database down " + ReliabilityReport.seconds(Duration.between(down, restarting)) + " (pg_ctl stop -m fast "
              + ReliabilityReport.seconds(Duration.between(stopping, down)) + ", start " + ReliabilityReport.seconds(Duration.between(restarting, up))
              + "); " + PER_SECOND + " jobs/s submitted with retries, plus one unretried probe every " + PROBE_INTERVAL.toMillis()
              + " ms to the nodes in turn; hold " + load.mix().description() + "; " + runningAtStop + " calls running at the stop; "
              + "failed attempts: " + verdict.withFailedAttempts().size() + "; submissions retried " + outcome.refusals()
              + ", replayed by idempotency key " + outcome.replayed()));

      assertFalse(during.isEmpty(), "probes answered during the outage: " + SubmissionProbe.byStatus(probes));
      assertTrue(sentDuring.stream().allMatch(SubmissionProbe.Probe::answered), "a submission during the outage got no answer: " + sentDuring);
      assertTrue(longest.compareTo(ANSWER_BOUND) <= 0, "slowest answer during the outage " + longest + ": " + sentDuring);
      during.forEach(p -> assertEquals(503, p.status(), "answered during the outage: " + p));
      assertTrue(outcome.gaveUp().isEmpty(), verdict.summary());
      assertTrue(verdict.lost().isEmpty(), verdict.summary());
    } finally {
      database.start();
    }
  }
}
