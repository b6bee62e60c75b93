package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A job leased to an external worker, as {@code POST /v1/queues/{queue}/lease} answers it.
 *
 * @param payload the job's input as a JSON value; null when it has none
 * @param leaseExpiresAt heartbeat before this, or the attempt times out
 */
public record LeasedJobJson(String jobId, int attempt, String leaseId, String type, JsonNode payload, Instant leaseExpiresAt) {}
