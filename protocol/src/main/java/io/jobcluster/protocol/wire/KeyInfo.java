package io.jobcluster.protocol.wire;

import java.time.Instant;
import java.util.List;

/**
 * A tenant API key as listed: never its secret.
 *
 * @param revokedAt null while the key is valid
 */
public record KeyInfo(String keyId, String tenant, List<String> scopes, String description, Instant createdAt, Instant revokedAt) {}
