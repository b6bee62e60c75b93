package io.jobcluster.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Job ids: random (UUID version 4), or derived from (tenant, idempotency key) so a repeat reaches
 * the same job: an HMAC-SHA256 under the cluster's secret, written as a UUID of version 8, so
 * nobody without the secret can tell which id a key will have. Jobs submitted before the HMAC
 * keep their name-based ids (version 3), found by id as before.
 */
public final class JobIds {
  private static final String HMAC = "HmacSHA256";

  private JobIds() {}

  public static String random() {
    return UUID.randomUUID().toString();
  }

  /** The id of {@code tenant}'s job with {@code idempotencyKey}: the same for the same secret, tenant and key. */
  public static String forIdempotencyKey(byte[] clusterSecret, String tenant, String idempotencyKey) {
    // Length-prefixing the tenant keeps ("a:b", "c") and ("a", "b:c") apart.
    String name = "jobcluster/" + tenant.length() + ":" + tenant + "/" + idempotencyKey;
    byte[] digest;
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(clusterSecret, HMAC));
      digest = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
    // RFC 9562 version 8 (custom) with the RFC variant: 122 bits of the HMAC.
    digest[6] = (byte) ((digest[6] & 0x0f) | 0x80);
    digest[8] = (byte) ((digest[8] & 0x3f) | 0x80);
    ByteBuffer bits = ByteBuffer.wrap(digest, 0, 16);
    return new UUID(bits.getLong(), bits.getLong()).toString();
  }

  /** Whether {@code id} has the canonical UUID form every job id has; anything else never reaches a job entity. */
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
