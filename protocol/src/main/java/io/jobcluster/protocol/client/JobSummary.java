package io.jobcluster.protocol.client;

import io.jobcluster.protocol.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * A job as listings show it: the job view without payload, result and progress (get the job for
 * those). The listing is read from the read model and trails the job itself by about a second.
 *
 * @param readyAt when the job last became PENDING; null if never
 */
public record JobSummary(
    String id,
    String tenant,
    String queue,
    String type,
    JobStatus status,
    int priority,
    int attempts,
    int maxAttempts,
    Instant createdAt,
    Instant updatedAt,
    Instant runAt,
    Instant readyAt,
    Instant startedAt,
    Instant finishedAt,
    String workerId,
    Instant leaseExpiresAt,
    String lastError,
    List<String> tags) {}
