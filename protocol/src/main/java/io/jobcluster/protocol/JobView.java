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
    List<String> tags)
    implements CborSerializable {}
