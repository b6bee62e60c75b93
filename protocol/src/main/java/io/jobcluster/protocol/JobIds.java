package io.jobcluster.protocol;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Job ids: random, or derived from (tenant, idempotency key) so a repeat reaches the same job. */
public final class JobIds {
  private JobIds() {}

  public static String random() {
    return UUID.randomUUID().toString();
  }

  /** A name-based UUID: the same tenant and key always give the same id. */
  public static String forIdempotencyKey(String tenant, String idempotencyKey) {
    // Length-prefixing the tenant keeps ("a:b", "c") and ("a", "b:c") apart.
    String name = "jobcluster/" + tenant.length() + ":" + tenant + "/" + idempotencyKey;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Whether {@code id} has the canonical UUID form every job id has. */
  public static boolean isValid(String id) {
    if (id == null || id.length() != 36) {
      return false;
    }
    try {
      return UUID.fromString(id).toString().equals(id);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
