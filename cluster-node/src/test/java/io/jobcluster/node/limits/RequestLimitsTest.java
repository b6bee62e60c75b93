package io.jobcluster.node.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private RequestLimits limits(int maxAddresses, int members) {
    TenantLimits.Table tenants = new TenantLimits.Table(new TenantLimits(100, 100, 100, 10, 4, 100), Map.of("vip", new TenantLimits(100, 100, 100, 100, 40, 100)));
    return new RequestLimits(tenants, new RequestLimits.AddressLimit(1, 2, maxAddresses), () -> members, nanos::get);
  }

  @Test
  void callsWithoutAValidKeySpendTheirAddressesBucketAndWaitForItsRefill() {
    RequestLimits limits = limits(100, 1);
    assertEquals(Optional.empty(), limits.unauthenticatedWait("10.0.0.1"));
    limits.unauthenticated("10.0.0.1");
    limits.unauthenticated("10.0.0.1");
    Duration wait = limits.unauthenticatedWait("10.0.0.1").orElseThrow();
    assertTrue(wait.compareTo(Duration.ZERO) > 0 && wait.compareTo(Duration.ofSeconds(1)) <= 0, wait.toString());
    assertEquals(Optional.empty(), limits.unauthenticatedWait("10.0.0.2"), "another address has its own bucket");
    limits.unauthenticated("10.0.0.1");
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertEquals(Optional.empty(), limits.unauthenticatedWait("10.0.0.1"), "one token a second, and an empty bucket does not go into debt");
  }

  @Test
  void beyondItsMaximumOfAddressesItDropsFullBucketsFirstThenAll() {
    RequestLimits limits = limits(2, 1);
    limits.unauthenticated("a");
    limits.unauthenticated("a");
    limits.unauthenticated("b");
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    limits.unauthenticated("c");
    limits.unauthenticated("c");
    limits.unauthenticated("d");
    assertTrue(limits.unauthenticatedWait("c").isPresent(), "c was spent and is kept: a and b were full again and went first");
    limits.unauthenticated("e");
    assertEquals(Optional.empty(), limits.unauthenticatedWait("c"), "nothing was full: every bucket was dropped");
  }

  @Test
  void everyCallOfATenantTakesATokenOfItsBucketSharedOutOverTheMembers() {
    RequestLimits limits = limits(100, 2);
    for (int i = 0; i < 4; i++) {
      assertEquals(Admission.ADMITTED, limits.admitCall("acme"));
    }
    Admission.RateLimited limited = assertInstanceOf(Admission.RateLimited.class, limits.admitCall("acme"));
    assertEquals(Duration.ofMillis(200), limited.retryAfter(), "10 a second over 2 members: a token every 200 ms");
    assertEquals(Admission.ADMITTED, limits.admitCall("vip"), "per tenant, with its own limits");
    nanos.addAndGet(Duration.ofMillis(200).toNanos());
    assertEquals(Admission.ADMITTED, limits.admitCall("acme"));
  }
}
