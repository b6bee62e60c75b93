package io.jobcluster.bench.dbscheduler;

import io.jobcluster.bench.load.FixedRate;
import io.jobcluster.bench.load.HistogramCodec;
import io.jobcluster.bench.load.LatencyRecorder;
import io.jobcluster.bench.load.OpenLoopResult;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * db-scheduler's side of the submit-latency runs: single {@code schedule} calls at a fixed rate,
 * handed to a pool of caller threads (a blocking call needs a thread), each timed from when it was
 * due; when each task then started is timed from the same moment, which gives its start latency
 * with the submission included, as the callback jobs measure it for Jobcluster.
 */
final class DbSchedulerOpenLoop {
  private static final long EXECUTION_WAIT_SECONDS = 60;

  private final DbSchedulerTask.OpenLoop task;
  private final FixedRate rate;
  private final long warmup;
  private final long[] due;
  private final AtomicLongArray started;
  private final LatencyRecorder scheduleLatency = new LatencyRecorder();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong repeated = new AtomicLong();
  private final AtomicLong lastAnswer = new AtomicLong();
  private final Map<String, Long> failures = new TreeMap<>();

  private DbSchedulerOpenLoop(DbSchedulerTask.OpenLoop task) {
    this.task = task;
    this.rate = new FixedRate(task.perSecond());
    this.warmup = rate.countWithin(task.warmup());
    this.due = new long[Math.toIntExact(warmup + rate.countWithin(task.duration()))];
    this.started = new AtomicLongArray(due.length);
  }

  /** Sets the schedule from now: only once the scheduler runs, so that its start-up is no part of any latency. */
  private void startSchedule() {
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    for (int i = 0; i < due.length; i++) {
      due[i] = start + rate.dueNanos(i);
    }
  }

  static OpenLoopResult run(DbSchedulerTask.OpenLoop task) {
    return new DbSchedulerOpenLoop(task).run();
  }

  private OpenLoopResult run() {
    ExecutorService callers = Executors.newFixedThreadPool(task.config().scheduleCallers());
    try (NoopScheduler scheduler = new NoopScheduler(task.database(), task.config(), this::executed)) {
      startSchedule();
      long firstDue = System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(due[0] - System.nanoTime());
      long maxLag = 0;
      for (int i = 0; i < due.length; i++) {
        long wait;
        while ((wait = due[i] - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        maxLag = Math.max(maxLag, -wait);
        int n = i;
        callers.execute(() -> schedule(scheduler, n));
      }
      callers.shutdown();
      callers.awaitTermination(EXECUTION_WAIT_SECONDS, TimeUnit.SECONDS);
      long expected = answered.get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXECUTION_WAIT_SECONDS);
      LatencyRecorder starts = awaitStarts(expected, deadline);
      return new OpenLoopResult(task.perSecond(), 1, due.length - warmup, expected, due.length - warmup, expected,
          Map.copyOf(failures), HistogramCodec.encode(scheduleLatency.snapshot()), HistogramCodec.encode(starts.snapshot()),
          expected - starts.count(), repeated.get(), TimeUnit.NANOSECONDS.toMicros(maxLag), firstDue, lastAnswer.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      callers.shutdownNow();
    }
  }

  private void schedule(NoopScheduler scheduler, int i) {
    try {
      scheduler.schedule(Integer.toString(i), Instant.now());
      if (i >= warmup) {
        scheduleLatency.record(due[i], System.nanoTime());
        answered.incrementAndGet();
      }
    } catch (RuntimeException e) {
      synchronized (failures) {
        failures.merge(e.getClass().getSimpleName(), 1L, Long::sum);
      }
    }
    lastAnswer.accumulateAndGet(System.currentTimeMillis(), Math::max);
  }

  private void executed(String id) {
    if (!started.compareAndSet(Integer.parseInt(id), 0, System.nanoTime())) {
      repeated.incrementAndGet();
    }
  }

  private LatencyRecorder awaitStarts(long expected, long deadlineNanos) {
    LatencyRecorder starts = new LatencyRecorder();
    while (System.nanoTime() - deadlineNanos < 0) {
      long done = 0;
      for (int i = (int) warmup; i < due.length; i++) {
        done += started.get(i) != 0 ? 1 : 0;
      }
      if (done >= expected) {
        break;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    for (int i = (int) warmup; i < due.length; i++) {
      if (started.get(i) != 0) {
        starts.record(due[i], started.get(i));
      }
    }
    return starts;
  }
}
