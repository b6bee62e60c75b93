package io.jobcluster.protocol;

import java.time.Instant;
import java.util.List;

/**
 * What clients see of a job. {@code payload}, {@code result} and {@code progress} are JSON text.
 * {@code attempts} counts the attempts charged so far (a handed-back attempt is not charged).
 */
public record JobView(
    String id,
    String queue,
    String type,
    JobStatus status,
    int priority,
    String payload,
    int attempts,
    int maxAttempts,
    Instant createdAt,
    Instant updatedAt,
    Instant runAt,
    Instant startedAt,
    Instant finishedAt,
    String workerId,
    Instant leaseExpiresAt,
    String lastError,
    String result,
    String progress,
    List<String> tags,
    Webhook webhook)
    implements CborSerializable {

  /** A view of a job without a webhook. */
  public JobView(String id, String queue, String type, JobStatus status, int priority, String payload, int attempts, int maxAttempts,
      Instant createdAt, Instant updatedAt, Instant runAt, Instant startedAt, Instant finishedAt, String workerId, Instant leaseExpiresAt,
      String lastError, String result, String progress, List<String> tags) {
    this(id, queue, type, status, priority, payload, attempts, maxAttempts, createdAt, updatedAt, runAt, startedAt, finishedAt, workerId,
        leaseExpiresAt, lastError, result, progress, tags, null);
  }

  /** This view showing {@code shownPayload} instead of its payload (what the API shows may be redacted). */
  public JobView withPayload(String shownPayload) {
    return new JobView(id, queue, type, status, priority, shownPayload, attempts, maxAttempts, createdAt, updatedAt, runAt, startedAt,
        finishedAt, workerId, leaseExpiresAt, lastError, result, progress, tags, webhook);
  }
}
