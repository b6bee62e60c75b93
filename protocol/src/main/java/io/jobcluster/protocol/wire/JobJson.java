package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.Webhook;
import java.time.Instant;
import java.util.List;

/** A job as the HTTP API writes it: a {@link JobView} with payload, result and progress as JSON values. */
public record JobJson(
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
    List<String> tags,
    Webhook webhook) {

  public static JobJson of(JobView view) {
    return new JobJson(view.id(), view.queue(), view.type(), view.status(), view.priority(), JsonText.tree(view.payload()),
        view.attempts(), view.maxAttempts(), view.createdAt(), view.updatedAt(), view.runAt(), view.startedAt(), view.finishedAt(),
        view.workerId(), view.leaseExpiresAt(), view.lastError(), JsonText.tree(view.result()), JsonText.tree(view.progress()),
        view.tags(), view.webhook());
  }

  public JobView toView() {
    return new JobView(id, queue, type, status, priority, JsonText.text(payload), attempts, maxAttempts, createdAt, updatedAt, runAt,
        startedAt, finishedAt, workerId, leaseExpiresAt, lastError, JsonText.text(result), JsonText.text(progress),
        tags == null ? List.of() : List.copyOf(tags), webhook);
  }
}
