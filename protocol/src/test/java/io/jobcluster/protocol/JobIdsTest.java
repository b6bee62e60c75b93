package io.jobcluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobIdsTest {
  private static final byte[] SECRET = "a cluster secret of at least 32 characters".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER_SECRET = "another cluster's secret, also 32 characters".getBytes(StandardCharsets.UTF_8);

  private static String keyed(String tenant, String key) {
    return JobIds.forIdempotencyKey(SECRET, tenant, key);
  }

  @Test
  void theSameSecretTenantAndKeyAlwaysGiveTheSameValidVersion8Id() {
    assertEquals(keyed("acme", "order-1"), keyed("acme", "order-1"));
    assertTrue(JobIds.isValid(keyed("acme", "order-1")));
    assertEquals(8, UUID.fromString(keyed("acme", "order-1")).version());
    assertEquals(2, UUID.fromString(keyed("acme", "order-1")).variant());
  }

  @Test
  void tenantsAndKeysDoNotCollideAcrossTheirBoundary() {
    assertNotEquals(keyed("acme", "order-1"), keyed("other", "order-1"));
    assertNotEquals(keyed("a:b", "c"), keyed("a", "b:c"));
  }

  @Test
  void withoutTheSecretTheIdCannotBeDerived() {
    assertNotEquals(keyed("acme", "order-1"), JobIds.forIdempotencyKey(OTHER_SECRET, "acme", "order-1"));
    String nameBased = UUID.nameUUIDFromBytes("jobcluster/4:acme/order-1".getBytes(StandardCharsets.UTF_8)).toString();
    assertNotEquals(nameBased, keyed("acme", "order-1"), "no longer the plain hash of tenant and key");
  }

  @Test
  void onlyCanonicalUuidsAreValidIds() {
    assertTrue(JobIds.isValid(JobIds.random()));
    assertTrue(JobIds.isValid(UUID.nameUUIDFromBytes(new byte[] {1}).toString()), "ids issued before the HMAC (version 3)");
    assertFalse(JobIds.isValid(null));
    assertFalse(JobIds.isValid("not-a-uuid"));
    assertFalse(JobIds.isValid("1-1-1-1-1"));
    assertFalse(JobIds.isValid("AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA"));
  }
}
