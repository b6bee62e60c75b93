package io.jobcluster.protocol.wire;

import java.time.Instant;
import java.util.List;

/**
 * A tenant API key just issued; {@code key} is the only time its secret is shown.
 *
 * @param key the secret to hand to the tenant
 */
public record IssuedKey(String keyId, String tenant, List<String> scopes, String key, Instant createdAt) {

  /** Leaves the secret out, so that a logged or printed record does not leak it. */
  @Override
  public String toString() {
    return "IssuedKey[keyId=" + keyId + ", tenant=" + tenant + ", scopes=" + scopes + ", key=<hidden>, createdAt=" + createdAt + "]";
  }
}
