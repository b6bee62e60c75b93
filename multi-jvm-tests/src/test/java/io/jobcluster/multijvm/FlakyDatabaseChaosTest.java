package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario j: a flaky database. For a minute under steady load on three nodes, every few hundred
 * milliseconds a random subset of the nodes' PostgreSQL connections is cut with
 * {@code pg_terminate_backend} (from a connection of the test's own, which is never cut). Every
 * acknowledged job completes; a job runs more than once only as a new attempt after an attempt
 * whose end could not be written, never two attempts at once; and every node is ready again once
 * the cutting stops.
 */
@MultiJvmTest
class FlakyDatabaseChaosTest {
  static final String SCENARIO = "j. database connections terminated at random for 60 s under load";
  private static final int JOBS = 1800;
  private static final double PER_SECOND = 20;
  /** The cutting starts once this many jobs were acknowledged: the load is well under way. */
  private static final int FLAKY_AFTER = 200;
  private static final Duration FLAKY_FOR = Duration.ofSeconds(60);
  /** Between two rounds of cuts: 200 to 600 ms, drawn anew each round. */
  private static final int MIN_PAUSE_MS = 200;
  private static final int MAX_PAUSE_MS = 600;
  /** Each node connection is cut in a round with this probability (at least one per round). */
  private static final double CUT_SHARE = 0.3;
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(2);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void noAcknowledgedJobIsLostWhileConnectionsAreCutAtRandom() throws SQLException {
    long started = System.nanoTime();
    try (ChaosCluster chaos = ChaosCluster.start("FlakyDatabaseChaosTest", POSTGRES, 3, Map.of())) {
      ExecutionLedger ledger = chaos.ledger();
      HoldMix mix = HoldMix.mixed();
      JobLoad.Running load = chaos.load("j", mix).steady(JOBS, PER_SECOND);
      Poll.until(FLAKY_AFTER + " jobs acknowledged and calls running", RECOVERY_TIMEOUT,
          () -> load.acknowledgedSoFar() >= FLAKY_AFTER && ledger.held() > 0);

      Instant flakyFrom = Instant.now();
      int acknowledgedBefore = load.acknowledgedSoFar();
      ConnectionCutter cutter = ConnectionCutter.start(POSTGRES.settings());
      try {
        Poll.holdsFor("the cutter keeps cutting", FLAKY_FOR, cutter::healthy);
      } finally {
        cutter.stop();
      }
      Instant flakyUntil = Instant.now();
      int acknowledgedDuring = load.acknowledgedSoFar() - acknowledgedBefore;
      chaos.cluster().awaitMembers(3, RECOVERY_TIMEOUT);
      Instant allReady = Instant.now();

      JobLoad.Outcome outcome = load.await(LOAD_TIMEOUT);
      LoadCheck.Verdict verdict = LoadCheck.awaitCompleted(chaos::anyClient, outcome, ledger, COMPLETION_TIMEOUT);
      List<String> overlapping = overlappingRuns(verdict);
      List<String> repeatedAttempts = repeatedAttempts(verdict);
      ReliabilityReport.record(ReliabilityReport.Row.of(SCENARIO, verdict, chaos::nodeName,
          "cutting stopped → every node ready with 3 members " + ReliabilityReport.seconds(Duration.between(flakyUntil, allReady))
              + "; acknowledged while cutting: " + acknowledgedDuring + " (the load offers "
              + Math.round(PER_SECOND * Duration.between(flakyFrom, flakyUntil).toSeconds()) + " in that time)",
          Duration.ofNanos(System.nanoTime() - started),
          "cut " + cutter.terminated() + " node connections in " + cutter.rounds() + " rounds over "
              + ReliabilityReport.seconds(Duration.between(flakyFrom, flakyUntil)) + " (pg_terminate_backend, each connection with p="
              + CUT_SHARE + ", every " + MIN_PAUSE_MS + "-" + MAX_PAUSE_MS + " ms); " + PER_SECOND + " jobs/s submitted; hold "
              + mix.description() + "; jobs with a failed attempt: " + verdict.withFailedAttempts().size()
              + "; duplicate executions each a later attempt: " + repeatedAttempts.isEmpty() + ", none at once: " + overlapping.isEmpty()
              + "; submissions retried " + outcome.refusals() + ", replayed by idempotency key " + outcome.replayed()));

      assertTrue(cutter.terminated() > 0, "no connection was cut");
      assertEquals(JOBS, verdict.acknowledged(), verdict.summary());
      assertTrue(outcome.gaveUp().isEmpty(), verdict.summary());
      assertTrue(verdict.lost().isEmpty(), verdict.summary());
      // A result the entity could not write is run again as a new attempt: allowed; the same attempt twice, or two at once, is not.
      assertTrue(repeatedAttempts.isEmpty(), "an attempt ran more than once: " + repeatedAttempts);
      assertTrue(overlapping.isEmpty(), "a job ran twice at once: " + overlapping);
    }
  }

  /** Duplicates whose executions do not carry increasing attempt numbers. */
  private static List<String> repeatedAttempts(LoadCheck.Verdict verdict) {
    List<String> repeated = new ArrayList<>();
    verdict.duplicates().forEach((jobId, runs) -> {
      for (int i = 1; i < runs.size(); i++) {
        if (runs.get(i).attempt() <= runs.get(i - 1).attempt()) {
          repeated.add(jobId + " " + runs);
          return;
        }
      }
    });
    return repeated;
  }

  /** Duplicates with an execution that started before the one before it was answered. */
  private static List<String> overlappingRuns(LoadCheck.Verdict verdict) {
    List<String> overlapping = new ArrayList<>();
    verdict.duplicates().forEach((jobId, runs) -> {
      for (int i = 1; i < runs.size(); i++) {
        Instant previousEnd = runs.get(i - 1).end();
        if (previousEnd == null || runs.get(i).start().isBefore(previousEnd)) {
          overlapping.add(jobId + " " + runs);
          return;
        }
      }
    });
    return overlapping;
  }

  /**
   * Cuts node connections to the class's database at random, from a connection of its own that it
   * never cuts ({@code pg_backend_pid()}); as the database's superuser, which may end any session.
   */
  private static final class ConnectionCutter {
    private static final String NODE_BACKENDS = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        + " AND pid <> pg_backend_pid() AND backend_type = 'client backend'";
    private static final String TERMINATE = "SELECT pg_terminate_backend(?)";

    private final DatabaseSettings settings;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Random random = new Random(13);
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong terminated = new AtomicLong();
    private volatile SQLException failure;
    private Connection connection;

    private ConnectionCutter(DatabaseSettings settings) {
      this.settings = settings;
    }

    static ConnectionCutter start(DatabaseSettings settings) throws SQLException {
      ConnectionCutter cutter = new ConnectionCutter(settings);
      cutter.connection = cutter.connect();
      cutter.scheduler.schedule(cutter::round, 0, TimeUnit.MILLISECONDS);
      return cutter;
    }

    private Connection connect() throws SQLException {
      return DriverManager.getConnection(settings.url(), settings.user(), settings.password());
    }

    /** One round of cuts, then the next round after a random pause. */
    private void round() {
      try {
        if (connection.isClosed()) {
          connection = connect();
        }
        List<Integer> backends = nodeBackends();
        List<Integer> victims = new ArrayList<>(backends.stream().filter(pid -> random.nextDouble() < CUT_SHARE).toList());
        if (victims.isEmpty() && !backends.isEmpty()) {
          victims.add(backends.get(random.nextInt(backends.size())));
        }
        try (PreparedStatement terminate = connection.prepareStatement(TERMINATE)) {
          for (int pid : victims) {
            terminate.setInt(1, pid);
            try (ResultSet result = terminate.executeQuery()) {
              if (result.next() && result.getBoolean(1)) {
                terminated.incrementAndGet();
              }
            }
          }
        }
        rounds.incrementAndGet();
        scheduler.schedule(this::round, MIN_PAUSE_MS + random.nextInt(MAX_PAUSE_MS - MIN_PAUSE_MS + 1), TimeUnit.MILLISECONDS);
      } catch (SQLException e) {
        failure = e;
      }
    }

    private List<Integer> nodeBackends() throws SQLException {
      List<Integer> pids = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(NODE_BACKENDS); ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          pids.add(rows.getInt(1));
        }
      }
      return pids;
    }

    /** False once a round failed: the test's own connection broke, so the scenario would not be what it says. */
    boolean healthy() {
      if (failure != null) {
        throw new IllegalStateException("the connection cutter failed", failure);
      }
      return true;
    }

    long rounds() {
      return rounds.get();
    }

    long terminated() {
      return terminated.get();
    }

    void stop() throws SQLException {
      scheduler.shutdownNow();
      try {
        if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the connection cutter did not stop");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted stopping the connection cutter", e);
      } finally {
        connection.close();
      }
    }
  }
}
