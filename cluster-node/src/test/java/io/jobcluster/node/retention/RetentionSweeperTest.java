package io.jobcluster.node.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.readmodel.FinishedJobs;
import io.jobcluster.node.readmodel.JobQueries;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.SchemaMigrator;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.awaitility.Awaitility;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run of the sweep over a real read model (H2): every due job asked once, in bounded batches, each outcome counted. */
class RetentionSweeperTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  @TempDir
  Path dataDir;

  private final ActorTestKit testKit = ActorTestKit.create("RetentionSweeperTest");
  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    testKit.shutdownTestKit();
    executor.shutdownNow();
  }

  @Test
  void aRunAsksEveryDueJobOnceInBatchesAndCountsWhatBecameOfIt() throws Exception {
    DatabaseSettings db = DatabaseSettings.h2(dataDir);
    SchemaMigrator.migrate(db);
    List<String> due = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      for (int i = 0; i < 23; i++) {
        due.add(row(connection, i, JobStatus.COMPLETED, NOW.minus(Duration.ofHours(1)).plusSeconds(i)));
      }
      row(connection, 100, JobStatus.FAILED, NOW.minus(Duration.ofDays(2)));   // kept 30 days
      row(connection, 101, JobStatus.COMPLETED, NOW.minusSeconds(10));   // too young
      row(connection, 102, JobStatus.PENDING, null);
    }
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(db.url());
    dataSource.setUser(db.user());
    dataSource.setPassword(db.password());
    FinishedJobs finished = new FinishedJobs(new JobQueries(dataSource, executor));

    ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    RetentionSweeper.Expirer expirer = (jobId, seqNr) -> {
      asked.add(jobId);
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      int n = due.indexOf(jobId);
      CompletionStage<JobReply> reply = n == 0 ? CompletableFuture.failedFuture(new TimeoutException("no answer"))
          : n == 1 ? CompletableFuture.completedFuture(JobReply.Rejected.of(ErrorCode.NOT_FOUND, "gone"))
          : n == 2 ? CompletableFuture.completedFuture(JobReply.Rejected.invalidTransition(JobStatus.PENDING, JobStatus.COMPLETED))
          : CompletableFuture.supplyAsync(() -> new JobReply.Accepted(null, false), CompletableFuture.delayedExecutor(5,
              TimeUnit.MILLISECONDS, executor));
      return reply.whenComplete((answer, failure) -> inFlight.decrementAndGet());
    };
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    RetentionPolicy policy = new RetentionPolicy(new RetentionPolicy.Periods(Duration.ofMinutes(1), Duration.ofDays(30)), Map.of());
    RetentionSettings settings = new RetentionSettings(policy, Duration.ofHours(1), 5, Duration.ofMillis(10), 2);
    testKit.spawn(RetentionSweeper.create(finished, expirer, settings, new RetentionMetrics(meters, clock), clock));

    Awaitility.await("one run ended").atMost(Duration.ofSeconds(30))
        .until(() -> meters.find("jobcluster.retention.run.duration").timer().count() == 1);
    assertEquals(due.stream().sorted().toList(), asked.stream().sorted().toList(), "every due job asked once, none other");
    assertTrue(mostInFlight.get() <= 2, "at most `parallelism` asks at once: " + mostInFlight.get());
    assertEquals(20, meters.find("jobcluster.retention.removed").tag("status", "COMPLETED").counter().count());
    assertEquals(1, meters.find("jobcluster.retention.kept").counter().count());
    assertEquals(20, meters.find("jobcluster.retention.last.run.removed").gauge().value());
    assertEquals(Duration.ofDays(2).toSeconds(), meters.find("jobcluster.retention.oldest.finished.age.seconds").gauge().value(),
        "the dead letter finished two days ago");
  }

  private static String row(Connection connection, int n, JobStatus status, Instant finishedAt) throws Exception {
    String id = String.format("00000000-0000-0000-0000-%012d", n);
    OffsetDateTime created = OffsetDateTime.ofInstant(NOW.minus(Duration.ofDays(3)), ZoneOffset.UTC);
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jobs (id, tenant, queue, type, status, priority, attempts,"
        + " max_attempts, created_at, updated_at, spec_run_at, run_at, finished_at, payload_bytes, last_seq_nr)"
        + " VALUES (?, 'acme', 'default', 'noop', ?, 5, 1, 3, ?, ?, ?, ?, ?, 2, 3)")) {
      insert.setString(1, id);
      insert.setString(2, status.name());
      insert.setObject(3, created);
      insert.setObject(4, created);
      insert.setObject(5, created);
      insert.setObject(6, created);
      if (finishedAt == null) {
        insert.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
      } else {
        insert.setObject(7, OffsetDateTime.ofInstant(finishedAt, ZoneOffset.UTC));
      }
      insert.executeUpdate();
    }
    return id;
  }
}
