package io.jobcluster.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.protocol.BackoffPolicy;
import io.jobcluster.protocol.JobRequest;
import java.time.Instant;
import java.util.List;

/** The body of {@code POST /v1/jobs}: a job request whose payload is any JSON value. */
public record SubmitJobBody(
    String queue,
    String type,
    JsonNode payload,
    Integer priority,
    Integer maxAttempts,
    Integer timeoutSeconds,
    BackoffPolicy backoff,
    Instant runAt,
    Long delaySeconds,
    Instant expiresAt,
    Long ttlSeconds,
    String idempotencyKey,
    List<String> tags) {

  /** The protocol request; {@code idempotencyKey} is the header's key, or null to use the field's. */
  JobRequest toRequest(String headerKey) {
    String payloadJson = payload == null || payload.isNull() ? null : payload.toString();
    String key = headerKey != null ? headerKey : idempotencyKey;
    return new JobRequest(queue, type, payloadJson, priority, maxAttempts, timeoutSeconds, backoff, runAt, delaySeconds, expiresAt,
        ttlSeconds, key, tags);
  }
}
