package io.jobcluster.bench.dbscheduler;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;

/** What db-scheduler's JVM is asked to do; {@link DbSchedulerMain} runs one task and writes its result. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = DbSchedulerTask.BurnDown.class, name = "burn-down"),
    @JsonSubTypes.Type(value = DbSchedulerTask.OpenLoop.class, name = "open-loop")})
public sealed interface DbSchedulerTask {

  Object run();

  /** A database of its own on the shared PostgreSQL server. */
  record Database(String url, String user, String password) {}

  /**
   * {@code tasks} no-op tasks scheduled due now with {@code scheduleBatch}, {@code batchSize} at a
   * time, by {@code submitters} threads while the scheduler runs; done when all have executed. With
   * {@code warmupTasks} above zero the same is done first, unmeasured, on {@code warmupDatabase}
   * with a scheduler of its own, so the measured run finds the JVM warm and its database untouched.
   */
  record BurnDown(Database database, DbSchedulerConfig config, int tasks, int batchSize, int submitters, Duration timeout,
      Database warmupDatabase, int warmupTasks) implements DbSchedulerTask {
    @Override
    public DbSchedulerBurnDown.Result run() {
      return DbSchedulerBurnDown.run(this);
    }
  }

  /** Single {@code schedule} calls at a fixed rate, open loop, timed from when each was due; also when each task started. */
  record OpenLoop(Database database, DbSchedulerConfig config, double perSecond, Duration warmup, Duration duration)
      implements DbSchedulerTask {
    @Override
    public io.jobcluster.bench.load.OpenLoopResult run() {
      return DbSchedulerOpenLoop.run(this);
    }
  }
}
