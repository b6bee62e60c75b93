package io.jobcluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobIdsTest {
  @Test
  void theSameTenantAndKeyAlwaysGiveTheSameId() {
    assertEquals(JobIds.forIdempotencyKey("acme", "order-1"), JobIds.forIdempotencyKey("acme", "order-1"));
    assertTrue(JobIds.isValid(JobIds.forIdempotencyKey("acme", "order-1")));
  }

  @Test
  void tenantsAndKeysDoNotCollideAcrossTheirBoundary() {
    assertNotEquals(JobIds.forIdempotencyKey("acme", "order-1"), JobIds.forIdempotencyKey("other", "order-1"));
    assertNotEquals(JobIds.forIdempotencyKey("a:b", "c"), JobIds.forIdempotencyKey("a", "b:c"));
  }

  @Test
  void onlyCanonicalUuidsAreValidIds() {
    assertTrue(JobIds.isValid(JobIds.random()));
    assertFalse(JobIds.isValid(null));
    assertFalse(JobIds.isValid("not-a-uuid"));
    assertFalse(JobIds.isValid("1-1-1-1-1"));
    assertFalse(JobIds.isValid("AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA"));
  }
}
