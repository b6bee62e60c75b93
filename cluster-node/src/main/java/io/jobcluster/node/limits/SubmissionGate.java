package io.jobcluster.node.limits;

import java.time.Duration;
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
 * this node admitted since; other nodes' admissions within that window and the read model's lag
 * (about a second) can let a tenant overshoot its quota by that much, never by more.
 */
public final class SubmissionGate {
  private final TenantLimits.Table limits;
  private final Function<String, CompletionStage<Long>> activeJobs;
  private final IntSupplier clusterSize;
  private final LongSupplier nanoClock;
  private final long countTtlNanos;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, ActiveCount> counts = new ConcurrentHashMap<>();

  /** The read model's count for a tenant, and what this node admitted since it was read. */
  private static final class ActiveCount {
    final long readAtNanos;
    final long counted;
    long admittedSince;

    ActiveCount(long readAtNanos, long counted) {
      this.readAtNanos = readAtNanos;
      this.counted = counted;
    }
  }

  public SubmissionGate(TenantLimits.Table limits, Function<String, CompletionStage<Long>> activeJobs, IntSupplier clusterSize,
      LongSupplier nanoClock, Duration countTtl) {
    this.limits = limits;
    this.activeJobs = activeJobs;
    this.clusterSize = clusterSize;
    this.nanoClock = nanoClock;
    this.countTtlNanos = countTtl.toNanos();
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
    return activeCount(tenant, now).thenApply(count -> {
      synchronized (count) {
        long active = count.counted + count.admittedSince;
        if (active + jobs > tenantLimits.maxActiveJobs()) {
          return new Admission.QuotaExceeded(active, tenantLimits.maxActiveJobs(), "this tenant has " + active
              + " jobs not yet finished; its limit is " + tenantLimits.maxActiveJobs());
        }
        count.admittedSince += jobs;
        return Admission.ADMITTED;
      }
    });
  }

  private CompletionStage<ActiveCount> activeCount(String tenant, long now) {
    ActiveCount cached = counts.get(tenant);
    if (cached != null && now - cached.readAtNanos < countTtlNanos) {
      return CompletableFuture.completedFuture(cached);
    }
    return activeJobs.apply(tenant).thenApply(counted -> {
      ActiveCount fresh = new ActiveCount(now, counted);
      counts.put(tenant, fresh);
      return fresh;
    });
  }
}
