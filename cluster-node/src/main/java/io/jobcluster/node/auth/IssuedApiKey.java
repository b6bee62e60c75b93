package io.jobcluster.node.auth;

import java.time.Instant;
import java.util.Set;

/**
 * A key just issued. {@code plaintext} exists only here, once: the store keeps its hash. Hand it
 * to the caller and drop it; {@link #toString()} masks it so it never reaches a log.
 */
public record IssuedApiKey(String keyId, String tenant, Set<Scope> scopes, String plaintext, Instant createdAt) {
  public IssuedApiKey {
    scopes = Set.copyOf(scopes);
  }

  @Override
  public String toString() {
    return "IssuedApiKey[keyId=" + keyId + ", tenant=" + tenant + ", scopes=" + scopes + ", plaintext=***, createdAt=" + createdAt + "]";
  }
}
