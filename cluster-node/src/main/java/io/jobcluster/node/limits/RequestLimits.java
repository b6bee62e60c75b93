package io.jobcluster.node.limits;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Rates of API calls on one node, before anything else is done for them:
 *
 * <ul>
 *   <li>Per client address, the calls that carry no valid key (none, malformed, unknown, revoked):
 *       each costs a token of its address's bucket; while the bucket is empty, such calls are refused
 *       before their key is looked up, so a client guessing keys costs neither database lookups nor
 *       the node's API slots. Keys the node already holds as valid pass an empty bucket (a shared
 *       address, e.g. behind NAT, does not lock out its valid clients). Per node, not per cluster.
 *   <li>Per tenant, every authenticated call: a bucket per tenant on each node refilled at the
 *       tenant's {@code request-rate} divided by the cluster's members, as {@link SubmissionGate} does
 *       for submissions.
 * </ul>
 *
 * <p>At most {@code maxAddresses} address buckets are kept: beyond, the full ones (which remember
 * nothing) are dropped, and if that is not enough, all of them (a flood from that many addresses
 * starts afresh rather than growing memory without bound).
 */
public final class RequestLimits {
  /** Calls without a valid key, per client address and node: {@code rate} per second, bursts of {@code burst}. */
  public record AddressLimit(double rate, int burst, int maxAddresses) {
    public AddressLimit {
      if (rate <= 0 || burst < 1 || maxAddresses < 1) {
        throw new IllegalArgumentException("address limits must be positive: " + rate + ", " + burst + ", " + maxAddresses);
      }
    }
  }

  private final TenantLimits.Table tenants;
  private final AddressLimit unauthenticated;
  private final IntSupplier clusterSize;
  private final LongSupplier nanoClock;
  private final Map<String, TokenBucket> addresses = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> tenantBuckets = new ConcurrentHashMap<>();

  public RequestLimits(TenantLimits.Table tenants, AddressLimit unauthenticated, IntSupplier clusterSize, LongSupplier nanoClock) {
    this.tenants = tenants;
    this.unauthenticated = unauthenticated;
    this.clusterSize = clusterSize;
    this.nanoClock = nanoClock;
  }

  /** How long calls from {@code address} without a valid key must wait; empty while its bucket holds a token. */
  public Optional<Duration> unauthenticatedWait(String address) {
    TokenBucket bucket = addresses.get(address);
    long wait = bucket == null ? 0 : bucket.waitFor(1, unauthenticated.rate(), unauthenticated.burst(), nanoClock.getAsLong());
    return wait == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(wait));
  }

  /** A call from {@code address} carried no valid key: it costs a token. */
  public void unauthenticated(String address) {
    long now = nanoClock.getAsLong();
    TokenBucket bucket = addresses.get(address);
    if (bucket == null) {
      if (addresses.size() >= unauthenticated.maxAddresses()) {
        prune(now);
      }
      bucket = addresses.computeIfAbsent(address, a -> new TokenBucket(unauthenticated.burst(), now));
    }
    bucket.charge(unauthenticated.rate(), unauthenticated.burst(), now);
  }

  private void prune(long now) {
    addresses.values().removeIf(bucket -> bucket.fullAt(unauthenticated.rate(), unauthenticated.burst(), now));
    if (addresses.size() >= unauthenticated.maxAddresses()) {
      addresses.clear();
    }
  }

  /** Whether {@code tenant} may make one more call now; a refusal says when to try again. */
  public Admission admitCall(String tenant) {
    TenantLimits limits = tenants.of(tenant);
    long now = nanoClock.getAsLong();
    double rate = limits.requestRate() / Math.max(1, clusterSize.getAsInt());
    long wait = tenantBuckets.computeIfAbsent(tenant, t -> new TokenBucket(limits.requestBurst(), now))
        .tryTake(1, rate, limits.requestBurst(), now);
    return wait == 0 ? Admission.ADMITTED : new Admission.RateLimited(Duration.ofNanos(wait),
        "this tenant calls the API faster than its limit of " + limits.requestRate() + " requests per second");
  }
}
