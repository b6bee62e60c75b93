package io.jobcluster.protocol.wire;

import java.time.Instant;

/**
 * A tenant's webhook settings ({@code GET/POST /v1/admin/tenants/{tenant}/webhook}); the secret itself
 * is never shown again after it was drawn.
 *
 * @param defaultUrl where jobs submitted without a webhook of their own report; null for none
 * @param secretCreatedAt when the current secret was drawn; null while there is none (deliveries wait for it)
 */
public record WebhookSettings(String tenant, String defaultUrl, Instant secretCreatedAt) {}
