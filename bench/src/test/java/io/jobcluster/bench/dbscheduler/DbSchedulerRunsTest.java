package io.jobcluster.bench.dbscheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.bench.load.HistogramCodec;
import io.jobcluster.bench.load.OpenLoopResult;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** db-scheduler's side, run in this JVM on a real PostgreSQL: every task executes once, and both latencies are timed. */
class DbSchedulerRunsTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static DbSchedulerTask.Database database(String hint) {
    DatabaseSettings db = POSTGRES.newDatabase(hint);
    return new DbSchedulerTask.Database(db.url(), db.user(), db.password());
  }

  @Test
  void aBurnDownExecutesEveryTaskOnceAndSamplesTheCount() {
    DbSchedulerTask.Database warmup = database("burn_down_warmup");
    DbSchedulerBurnDown.Result result = new DbSchedulerTask.BurnDown(database("burn_down"), DbSchedulerConfig.STANDARD, 1_000, 100, 4,
        Duration.ofMinutes(1), warmup, 300).run();

    // The warm-up ran first, on its own database; the result counts the measured run only.
    assertEquals(300, result.warmupExecutions());
    assertEquals(1_000, result.scheduled());
    assertEquals(1_000, result.executions());
    assertTrue(result.allExecutedEpochMillis() >= result.firstSubmitEpochMillis());
    assertTrue(result.lastScheduledEpochMillis() >= result.firstSubmitEpochMillis());
    assertEquals(1_000, result.executed().get(result.executed().size() - 1).count(), "the last sample is taken at the end");
  }

  @Test
  void singleSchedulesAtAFixedRateAreTimedUntilAnswerAndUntilStart() {
    OpenLoopResult result = new DbSchedulerTask.OpenLoop(database("open_loop"), DbSchedulerConfig.STANDARD, 100, Duration.ofMillis(200),
        Duration.ofSeconds(1)).run();

    assertEquals(100, result.requests());
    assertEquals(100, result.jobsAccepted());
    assertTrue(result.failures().isEmpty(), result.failures().toString());
    assertEquals(100, HistogramCodec.decode(result.requestLatency()).getTotalCount());
    assertEquals(100, HistogramCodec.decode(result.startLatency()).getTotalCount());
    assertEquals(0, result.callbacksMissing());
    assertEquals(0, result.callbacksRepeated());
  }

  @Test
  void itsConfigurationIsPrintable() {
    assertEquals("pollUsingLockAndFetch(1.0, 4.0)", DbSchedulerConfig.STANDARD.describe().get("polling"));
    assertEquals("64", DbSchedulerConfig.STANDARD.describe().get("executor threads"));
    assertEquals("db-scheduler 16.7.1: 64 threads, pollUsingLockAndFetch(1.0, 4.0), enableImmediateExecution(), HikariCP pool of 20, "
        + "a no-op one-time task", DbSchedulerConfig.STANDARD.summary());
  }
}
