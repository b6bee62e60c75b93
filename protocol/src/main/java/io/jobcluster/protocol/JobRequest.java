package io.jobcluster.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.jobcluster.protocol.wire.RawJson;
import java.time.Instant;
import java.util.List;

/**
 * A job as a submitter sends it, and the body of {@code POST /v1/jobs} (and of each batch item).
 * Every field but {@code type} may be left out, and is left out of the JSON; {@link JobSpec#from}
 * applies the defaults, validates and turns relative times into absolute ones.
 *
 * @param payload the job's input as JSON text here, any JSON value on the wire
 * @param runAt earliest start; mutually exclusive with {@code delaySeconds}
 * @param expiresAt latest start; mutually exclusive with {@code ttlSeconds}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
    String queue,
    String type,
    @JsonRawValue @JsonDeserialize(using = RawJson.class) String payload,
    Integer priority,
    Integer maxAttempts,
    Integer timeoutSeconds,
    BackoffPolicy backoff,
    Instant runAt,
    Long delaySeconds,
    Instant expiresAt,
    Long ttlSeconds,
    String idempotencyKey,
    List<String> tags,
    Webhook webhook) {

  /** A request without a webhook. */
  public JobRequest(String queue, String type, String payload, Integer priority, Integer maxAttempts, Integer timeoutSeconds,
      BackoffPolicy backoff, Instant runAt, Long delaySeconds, Instant expiresAt, Long ttlSeconds, String idempotencyKey, List<String> tags) {
    this(queue, type, payload, priority, maxAttempts, timeoutSeconds, backoff, runAt, delaySeconds, expiresAt, ttlSeconds, idempotencyKey,
        tags, null);
  }

  /** The smallest valid request: a job of {@code type} on the default queue. */
  public static JobRequest of(String type) {
    return new JobRequest(null, type, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public JobRequest withQueue(String value) {
    return new JobRequest(value, type, payload, priority, maxAttempts, timeoutSeconds, backoff, runAt, delaySeconds, expiresAt, ttlSeconds, idempotencyKey, tags, webhook);
  }

  public JobRequest withPayload(String value) {
    return new JobRequest(queue, type, value, priority, maxAttempts, timeoutSeconds, backoff, runAt, delaySeconds, expiresAt, ttlSeconds, idempotencyKey, tags, webhook);
  }

  public JobRequest withPriority(Integer value) {
    return new JobRequest(queue, type, payload, value, maxAttempts, timeoutSeconds, backoff, runAt, delaySeconds, expiresAt, ttlSeconds, idempotencyKey, tags, webhook);
  }

  public JobRequest withMaxAttempts(Integer value) {
    return new JobRequest(queue, type, payload, priority, value, timeoutSeconds, backoff, runAt, delaySeconds, expiresAt, ttlSeconds, idempotencyKey, tags, webhook);
  }

  public JobRequest withTimeoutSeconds(Integer value) {
    return new JobRequest(queue, type, payload, priority, maxAttempts, value, backoff, runAt, delaySeconds, expiresAt, ttlSeconds, idempotencyKey, tags, webhook);
  }

  public JobRequest withBackoff(BackoffPolicy value) {
    return new JobRequest(queue, type, payload, priority, maxAttempts, timeoutSeconds, value, runAt, delaySeconds, expiresAt, ttlSeconds, idempotencyKey, tags, webhook);
  }

  public JobRequest withRunAt(Instant value) {
    return new JobRequest(queue, type, payload, priority, maxAttempts, timeoutSeconds, backoff, value, delaySeconds, expiresAt, ttlSeconds, idempotencyKey, tags, webhook);
  }

  public JobRequest withDelaySeconds(Long value) {
    return new JobRequest(queue, type, payload, priority, maxAttempts, timeoutSeconds, backoff, runAt, value, expiresAt, ttlSeconds, idempotencyKey, tags, webhook);
  }

  public JobRequest withExpiresAt(Instant value) {
    return new JobRequest(queue, type, payload, priority, maxAttempts, timeoutSeconds, backoff, runAt, delaySeconds, value, ttlSeconds, idempotencyKey, tags, webhook);
  }

  public JobRequest withTtlSeconds(Long value) {
    return new JobRequest(queue, type, payload, priority, maxAttempts, timeoutSeconds, backoff, runAt, delaySeconds, expiresAt, value, idempotencyKey, tags, webhook);
  }

  public JobRequest withIdempotencyKey(String value) {
    return new JobRequest(queue, type, payload, priority, maxAttempts, timeoutSeconds, backoff, runAt, delaySeconds, expiresAt, ttlSeconds, value, tags, webhook);
  }

  public JobRequest withTags(List<String> value) {
    return new JobRequest(queue, type, payload, priority, maxAttempts, timeoutSeconds, backoff, runAt, delaySeconds, expiresAt, ttlSeconds, idempotencyKey, value, webhook);
  }

  public JobRequest withWebhook(Webhook value) {
    return new JobRequest(queue, type, payload, priority, maxAttempts, timeoutSeconds, backoff, runAt, delaySeconds, expiresAt, ttlSeconds,
        idempotencyKey, tags, value);
  }
}
