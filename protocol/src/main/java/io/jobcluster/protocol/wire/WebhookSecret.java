package io.jobcluster.protocol.wire;

import java.time.Instant;

/**
 * A tenant's new webhook secret, shown this once ({@code POST /v1/admin/tenants/{tenant}/webhook-secret}):
 * the HMAC-SHA256 key of every webhook's {@code X-Jobcluster-Signature} from now on.
 */
public record WebhookSecret(String tenant, String secret, Instant createdAt) {}
