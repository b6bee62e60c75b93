package io.jobcluster.protocol.client;

import java.time.Instant;

/**
 * A job leased to an external worker. Heartbeat, complete or fail it with {@code leaseId}; a
 * {@code stale_lease} answer means another attempt owns the job now: stop working on it.
 *
 * @param payload the job's input as JSON text; null when it has none
 * @param leaseExpiresAt heartbeat before this, or the attempt times out
 */
public record LeasedJob(String jobId, int attempt, String leaseId, String type, String payload, Instant leaseExpiresAt) {}
