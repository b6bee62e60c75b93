package io.jobcluster.node.auth;

import java.time.Instant;
import java.util.Set;

/** A stored key as lists show it: no secret and no hash. {@code revokedAt} and {@code description} may be null. */
public record ApiKeyInfo(String keyId, String tenant, Set<Scope> scopes, String description, Instant createdAt, Instant revokedAt) {
  public ApiKeyInfo {
    scopes = Set.copyOf(scopes);
  }

  public boolean revoked() {
    return revokedAt != null;
  }
}
