package io.jobcluster.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import java.time.Instant;
import java.util.List;

/** A job view as the API shows it: payload, result and progress as JSON values, not strings. */
record JobJson(
    String id,
    String queue,
    String type,
    JobStatus status,
    int priority,
    JsonNode payload,
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
    JsonNode result,
    JsonNode progress,
    List<String> tags) {

  static JobJson of(JobView view) {
    return new JobJson(view.id(), view.queue(), view.type(), view.status(), view.priority(), JsonCodec.tree(view.payload()),
        view.attempts(), view.maxAttempts(), view.createdAt(), view.updatedAt(), view.runAt(), view.startedAt(), view.finishedAt(),
        view.workerId(), view.leaseExpiresAt(), view.lastError(), JsonCodec.tree(view.result()), JsonCodec.tree(view.progress()),
        view.tags());
  }
}
