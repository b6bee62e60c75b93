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
 * the tenant's non-terminal jobs in the read model (read at most every {@code countTtl}) plus what
 * this node admitted within the last {@code admissionMemory}, which must outlast the read model's
 * lag. A job admitted here is so never missed by this node's count; it may be counted twice for a
 * few seconds, refusing a tenant at its limit a little early. Jobs admitted by other nodes and not
 * yet in the read model are not seen: with several nodes a tenant can overshoot by that much.
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

  /** The read model's count for a tenant, when it was read, and this node's recent admissions (time, jobs). */
  private static final class ActiveCount {
    volatile boolean read;
    volatile long readAtNanos;
    long counted;
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
    boolean fresh = count.read && now - count.readAtNanos < countTtlNanos;
    CompletionStage<ActiveCount> read = fresh ? CompletableFuture.completedFuture(count)
        : activeJobs.apply(tenant).thenApply(counted -> {
          synchronized (count) {
            count.counted = counted;
            count.readAtNanos = now;
            count.read = true;
          }
          return count;
        });
    return read.thenApply(current -> admitAgainstQuota(current, jobs, tenantLimits.maxActiveJobs(), nanoClock.getAsLong()));
  }

  private Admission admitAgainstQuota(ActiveCount count, int jobs, long limit, long now) {
    synchronized (count) {
      while (!count.admissions.isEmpty() && now - count.admissions.peekFirst()[0] > admissionMemoryNanos) {
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
