package io.jobcluster.node.worker.handler;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an attempt's lease alive while it runs: a heartbeat every third of the lease timeout on
 * the context's scheduler, never more than one unanswered. A heartbeat that fails to get an answer
 * is logged and the next one tries again; one answered {@code false} (the lease is gone) stops the
 * keeper and runs {@code onLeaseLost} once. Handlers stop it when their work ends.
 */
public final class LeaseKeeper {

  // A floor for absurdly short leases, so a zero lease timeout cannot spin the scheduler.
  private static final Duration MIN_INTERVAL = Duration.ofMillis(10);
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final JobContext context;
  private final Supplier<String> progress;
  private final Runnable onLeaseLost;
  private final AtomicBoolean heartbeatInFlight = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile ScheduledFuture<?> beats;

  private LeaseKeeper(JobContext context, Supplier<String> progress, Runnable onLeaseLost) {
    this.context = context;
    this.progress = progress;
    this.onLeaseLost = onLeaseLost;
  }

  /**
   * Starts heartbeating {@code context}'s lease.
   *
   * @param progress the progress JSON each heartbeat carries (may supply null)
   * @param onLeaseLost runs once, on a scheduler or heartbeat thread, when the lease is gone
   */
  public static LeaseKeeper start(JobContext context, Supplier<String> progress, Runnable onLeaseLost) {
    LeaseKeeper keeper = new LeaseKeeper(context, progress, onLeaseLost);
    long every = interval(context.leaseTimeout()).toNanos();
    keeper.beats = context.scheduler().scheduleAtFixedRate(keeper::beat, every, every, TimeUnit.NANOSECONDS);
    if (keeper.stopped.get()) {
      keeper.beats.cancel(false);
    }
    return keeper;
  }

  /** How often a lease of {@code leaseTimeout} is heartbeaten: a third of it, at least 10 ms. */
  public static Duration interval(Duration leaseTimeout) {
    Duration third = leaseTimeout.dividedBy(3);
    return third.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : third;
  }

  /** No heartbeat after this returns, except one already sent. Idempotent. */
  public void stop() {
    stopped.set(true);
    ScheduledFuture<?> scheduled = beats;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }

  private void beat() {
    // A heartbeat slower than the interval must not pile up more of them behind it.
    if (stopped.get() || !heartbeatInFlight.compareAndSet(false, true)) {
      return;
    }
    try {
      context.heartbeat(progress.get()).whenComplete(this::answered);
    } catch (RuntimeException e) {
      // Thrown out of a periodic task, it would silently end every later heartbeat.
      answered(null, e);
    }
  }

  private void answered(Boolean stillOurs, Throwable error) {
    heartbeatInFlight.set(false);
    if (error != null) {
      log.warn("heartbeat failed jobId={} attempt={} error={}", context.jobId(), context.attempt(), error.toString());
    } else if (!Boolean.TRUE.equals(stillOurs) && !stopped.getAndSet(true)) {
      stop();
      log.info("lease lost jobId={} attempt={}", context.jobId(), context.attempt());
      onLeaseLost.run();
    }
  }
}
