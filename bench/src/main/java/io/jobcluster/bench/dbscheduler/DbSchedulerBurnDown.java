package io.jobcluster.bench.dbscheduler;

import io.jobcluster.bench.CountAt;
import io.jobcluster.bench.Workers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * db-scheduler's side of the burn-down: the scheduler runs while submitters schedule batches of
 * no-op tasks due now; executions are counted in the task itself, so the end is exact.
 */
public final class DbSchedulerBurnDown {
  /** How often the execution count is sampled for the throughput plot, as the nodes' metrics are. */
  static final long SAMPLE_MILLIS = 250;

  /**
   * @param allExecutedEpochMillis when the last of the tasks executed; 0 if they did not all execute in time
   * @param executions executions counted, repeats included
   * @param executed the sampled count of executions over time
   * @param warmupExecutions executions of the unmeasured warm-up before it (0 without one)
   */
  public record Result(int tasks, long scheduled, long executions, long firstSubmitEpochMillis, long lastScheduledEpochMillis,
                long allExecutedEpochMillis, List<CountAt> executed, long warmupExecutions) {}

  private final DbSchedulerTask.BurnDown task;
  private final AtomicLong executions = new AtomicLong();
  private final AtomicLong allExecuted = new AtomicLong();
  private final AtomicLong scheduled = new AtomicLong();
  private final AtomicLong lastScheduled = new AtomicLong();
  private final AtomicInteger next = new AtomicInteger();
  private final List<CountAt> samples = new CopyOnWriteArrayList<>();

  private DbSchedulerBurnDown(DbSchedulerTask.BurnDown task) {
    this.task = task;
  }

  static Result run(DbSchedulerTask.BurnDown task) {
    long warmupExecutions = 0;
    if (task.warmupTasks() > 0) {
      warmupExecutions = new DbSchedulerBurnDown(new DbSchedulerTask.BurnDown(task.warmupDatabase(), task.config(), task.warmupTasks(),
          task.batchSize(), task.submitters(), task.timeout(), null, 0)).run(0).executions();
    }
    return new DbSchedulerBurnDown(task).run(warmupExecutions);
  }

  private Result run(long warmupExecutions) {
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try (NoopScheduler scheduler = new NoopScheduler(task.database(), task.config(), this::executed)) {
      long first = System.currentTimeMillis();
      sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
      Workers.runAll(task.submitters(), s -> submitAll(scheduler));
      awaitExecutions(task.tasks(), System.nanoTime() + task.timeout().toNanos());
      sample();
      return new Result(task.tasks(), scheduled.get(), executions.get(), first, lastScheduled.get(), allExecuted.get(),
          List.copyOf(samples), warmupExecutions);
    } finally {
      sampler.shutdownNow();
    }
  }

  private void submitAll(NoopScheduler scheduler) {
    int start;
    while ((start = next.getAndAdd(task.batchSize())) < task.tasks()) {
      List<String> ids = new ArrayList<>();
      for (int i = start; i < Math.min(task.tasks(), start + task.batchSize()); i++) {
        ids.add("t" + i);
      }
      scheduler.scheduleBatch(ids, Instant.now());
      scheduled.addAndGet(ids.size());
      lastScheduled.accumulateAndGet(System.currentTimeMillis(), Math::max);
    }
  }

  private void executed(String id) {
    if (executions.incrementAndGet() == task.tasks()) {
      allExecuted.set(System.currentTimeMillis());
    }
  }

  private void sample() {
    samples.add(new CountAt(System.currentTimeMillis(), executions.get()));
  }

  private void awaitExecutions(long expected, long deadlineNanos) {
    while (executions.get() < expected && System.nanoTime() - deadlineNanos < 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
