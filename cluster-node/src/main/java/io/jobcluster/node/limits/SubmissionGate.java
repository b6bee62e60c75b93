package io.jobcluster.node.limits;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Admits a tenant's submissions against its {@link TenantLimits}. The rate is a token bucket per
 * tenant on each node, refilled at the tenant's rate divided by the cluster's members, so with
 * requests spread over the nodes the cluster as a whole keeps the rate. The active-job quota counts
 * the tenant's non-terminal jobs in the read model plus what this node admitted within
 * {@code admissionMemory} before that count was read, which must outlast the read model's lag. A job
 * admitted here is so never missed by this node's count; it may be counted twice for a few seconds,
 * refusing a tenant at its limit a little early. Jobs admitted by other nodes and not yet in the
 * read model are not seen: with several nodes a tenant can overshoot by that much.
 *
 * <p>The count is read at most every {@code countTtl}, and at most once at a time per tenant: only a
 * tenant's first submissions wait for it. Once a tenant has a count, a submission that finds it older
 * than {@code countTtl} starts one new read and is admitted against the count it has, so a read
 * model that is slow to answer (its connections busy catching up after a burst) never holds
 * submissions up. (Before, every submission arriving while the count was stale read it itself; after
 * a burst of 60,000 jobs, 256 concurrent submissions queued their reads behind the catching-up
 * projections and were answered at 30 a second for 40 s.)
 */
public final class SubmissionGate {
  private final TenantLimits.Table limits;
  private final Function<String, CompletionStage<Long>> activeJobs;
  private final IntSupplier clusterSize;
  private final LongSupplier nanoClock;
  private final long countTtlNanos;
  private final long admissionMemoryNanos;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, ActiveCount> counts = new ConcurrentHashMap<>();

  /**
   * The read model's count for a tenant, when it was read, the read under way if any, and this node's
   * recent admissions (time, jobs). Guarded by its own monitor.
   */
  private static final class ActiveCount {
    boolean read;
    long readAtNanos;
    long counted;
    CompletableFuture<ActiveCount> reading;
    final Deque<long[]> admissions = new ArrayDeque<>();
    long admittedRecently;
  }

  public SubmissionGate(TenantLimits.Table limits, Function<String, CompletionStage<Long>> activeJobs, IntSupplier clusterSize,
      LongSupplier nanoClock, Duration countTtl, Duration admissionMemory) {
    this.limits = limits;
    this.activeJobs = activeJobs;
    this.clusterSize = clusterSize;
    this.nanoClock = nanoClock;
    this.countTtlNanos = countTtl.toNanos();
    this.admissionMemoryNanos = admissionMemory.toNanos();
  }

  /** Whether {@code tenant} may submit {@code jobs} more jobs now; admitted jobs count against its quota at once. */
  public CompletionStage<Admission> admit(String tenant, int jobs) {
    TenantLimits tenantLimits = limits.of(tenant);
    long now = nanoClock.getAsLong();
    double rate = tenantLimits.submitRate() / Math.max(1, clusterSize.getAsInt());
    long waitNanos = buckets.computeIfAbsent(tenant, t -> new TokenBucket(tenantLimits.submitBurst(), now))
        .tryTake(jobs, rate, tenantLimits.submitBurst(), now);
    if (waitNanos == Long.MAX_VALUE) {
      return CompletableFuture.completedFuture(new Admission.RateLimited(null,
          jobs + " jobs at once exceed this tenant's submission burst of " + tenantLimits.submitBurst()));
    }
    if (waitNanos > 0) {
      return CompletableFuture.completedFuture(new Admission.RateLimited(Duration.ofNanos(waitNanos),
          "this tenant submits faster than its limit of " + tenantLimits.submitRate() + " jobs per second"));
    }
    ActiveCount count = counts.computeIfAbsent(tenant, t -> new ActiveCount());
    return current(tenant, count, now)
        .thenApply(current -> admitAgainstQuota(current, jobs, tenantLimits.maxActiveJobs(), nanoClock.getAsLong()));
  }

  /** The count to admit against: the one it has, or the first one once read; starts a read when due and none is under way. */
  private CompletionStage<ActiveCount> current(String tenant, ActiveCount count, long now) {
    synchronized (count) {
      boolean due = !count.read || now - count.readAtNanos >= countTtlNanos;
      CompletableFuture<ActiveCount> reading = count.reading;
      if (due && reading == null) {
        CompletableFuture<ActiveCount> started = new CompletableFuture<>();
        reading = started;
        count.reading = started;
        activeJobs.apply(tenant).whenComplete((counted, failure) -> {
          synchronized (count) {
            count.reading = null;
            if (failure == null) {
              count.counted = counted;
              count.readAtNanos = now;
              count.read = true;
            }
          }
          if (failure == null) {
            started.complete(count);
          } else {
            started.completeExceptionally(failure);
          }
        });
      }
      return count.read ? CompletableFuture.completedFuture(count) : reading;
    }
  }

  private Admission admitAgainstQuota(ActiveCount count, int jobs, long limit, long now) {
    synchronized (count) {
      // Admissions well before the count was read are in it; later ones may not be yet.
      while (!count.admissions.isEmpty() && count.readAtNanos - count.admissions.peekFirst()[0] > admissionMemoryNanos) {
        count.admittedRecently -= count.admissions.removeFirst()[1];
      }
      long active = count.counted + count.admittedRecently;
      if (active + jobs > limit) {
        return new Admission.QuotaExceeded(active, limit, "this tenant has " + active + " jobs not yet finished; its limit is " + limit);
      }
      count.admissions.addLast(new long[] {now, jobs});
      count.admittedRecently += jobs;
      return Admission.ADMITTED;
    }
  }
}
