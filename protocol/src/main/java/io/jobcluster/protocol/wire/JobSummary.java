package io.jobcluster.protocol.wire;

import io.jobcluster.protocol.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * A job as listings show it, on the server and in the client alike: the job view's fields without
 * payload, result and progress (read those from the job itself). Listings come from the read model,
 * which trails the job by about a second; times have microsecond precision.
 *
 * @param runAt the next run time: the submitted runAt, or the end of backoff while RETRYING
 * @param readyAt when the job last became PENDING (dispatch order after priority); null if never
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
    List<String> tags) {

  public JobSummary {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
