package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.JobSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * One row of the {@code jobs} table, and how each job event changes it: the row copies the facts
 * an event carries (status, attempts charged, next deadline, and the event's own fields), so the
 * row shows what the job's view shows without following the lifecycle itself (a test holds the
 * two side by side).
 *
 * @param specRunAt the earliest start the submitter asked for
 * @param runAt the view's runAt: {@code specRunAt}, or the end of backoff while RETRYING
 * @param readyAt when the job last became PENDING
 * @param node the node of the current or last attempt's worker
 * @param deadlineAt the job's next deadline, as the last event said
 * @param lastSeqNr the sequence number of the last event applied; older ones are replays
 */
record JobRow(
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
    Instant specRunAt,
    Instant runAt,
    Instant expiresAt,
    Instant readyAt,
    Instant startedAt,
    Instant finishedAt,
    String workerId,
    String node,
    Instant leaseExpiresAt,
    Instant deadlineAt,
    String lastError,
    List<String> tags,
    int payloadBytes,
    long lastSeqNr) {

  JobRow {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  static JobRow submitted(JobEvent.Submitted e, long seqNr) {
    var spec = e.spec();
    Instant readyAt = e.to() == JobStatus.PENDING ? e.at() : null;
    int payloadBytes = spec.payload() == null ? 0 : spec.payload().getBytes(StandardCharsets.UTF_8).length;
    return new JobRow(e.jobId(), e.tenant(), spec.queue(), spec.type(), e.to(), spec.priority(), 0, spec.maxAttempts(),
        e.at(), e.at(), spec.runAt(), spec.runAt(), spec.expiresAt(), readyAt, null, null, null, null, null, e.deadline(), null,
        spec.tags(), payloadBytes, seqNr);
  }

  /** This row after {@code event} (anything but a submission or deletion, which the batch handles). */
  JobRow apply(JobEvent event, long seqNr) {
    JobRow moved = moved(event, seqNr);
    if (event instanceof JobEvent.MadePending e) {
      return moved.withReadyAt(e.at());
    } else if (event instanceof JobEvent.Leased e) {
      return moved.withWorker(e.workerId(), e.node(), e.leaseExpiresAt()).withOutcome(e.at(), null, lastError);
    } else if (event instanceof JobEvent.LeaseExtension e) {
      return moved.withWorker(workerId, node, e.leaseExpiresAt());
    } else if (event instanceof JobEvent.Completed e) {
      return moved.withWorker(workerId, node, null).withOutcome(startedAt, e.at(), lastError);
    } else if (event instanceof JobEvent.AttemptFailed e) {
      Instant finished = e.to() == JobStatus.FAILED ? e.at() : null;
      return moved.withWorker(workerId, node, null).withOutcome(startedAt, finished, e.error());
    } else if (event instanceof JobEvent.HandedBack e) {
      return moved.withWorker(workerId, node, null).withReadyAt(e.at());
    } else if (event instanceof JobEvent.Cancelled e) {
      return moved.withWorker(workerId, node, null).withOutcome(startedAt, e.at(), lastError);
    } else if (event instanceof JobEvent.Expired e) {
      return moved.withOutcome(startedAt, e.at(), lastError);
    } else if (event instanceof JobEvent.Redriven e) {
      return moved.withMaxAttempts(e.maxAttempts()).withReadyAt(e.at()).withOutcome(startedAt, null, lastError);
    }
    throw new IllegalArgumentException("job " + id + ": a row does not apply " + event.getClass().getSimpleName());
  }

  JobSummary summary() {
    return new JobSummary(id, tenant, queue, type, status, priority, attempts, maxAttempts, createdAt, updatedAt, runAt, readyAt,
        startedAt, finishedAt, workerId, leaseExpiresAt, lastError, tags);
  }

  /** The facts every event carries: status, attempts charged, next deadline, time; and the run time the view shows. */
  private JobRow moved(JobEvent event, long seqNr) {
    Instant nextRun = event instanceof JobEvent.AttemptFailed failed && failed.retryAt() != null ? failed.retryAt() : specRunAt;
    return new JobRow(id, tenant, queue, type, event.to(), priority, event.attempts(), maxAttempts, createdAt, event.at(), specRunAt,
        nextRun, expiresAt, readyAt, startedAt, finishedAt, workerId, node, leaseExpiresAt, event.deadline(), lastError, tags,
        payloadBytes, seqNr);
  }

  private JobRow withMaxAttempts(int newMaxAttempts) {
    return new JobRow(id, tenant, queue, type, status, priority, attempts, newMaxAttempts, createdAt, updatedAt, specRunAt, runAt,
        expiresAt, readyAt, startedAt, finishedAt, workerId, node, leaseExpiresAt, deadlineAt, lastError, tags, payloadBytes, lastSeqNr);
  }

  private JobRow withWorker(String newWorkerId, String newNode, Instant newLeaseExpiresAt) {
    return new JobRow(id, tenant, queue, type, status, priority, attempts, maxAttempts, createdAt, updatedAt, specRunAt, runAt,
        expiresAt, readyAt, startedAt, finishedAt, newWorkerId, newNode, newLeaseExpiresAt, deadlineAt, lastError, tags, payloadBytes,
        lastSeqNr);
  }

  private JobRow withReadyAt(Instant newReadyAt) {
    return new JobRow(id, tenant, queue, type, status, priority, attempts, maxAttempts, createdAt, updatedAt, specRunAt, runAt,
        expiresAt, newReadyAt, startedAt, finishedAt, workerId, node, leaseExpiresAt, deadlineAt, lastError, tags, payloadBytes, lastSeqNr);
  }

  private JobRow withOutcome(Instant newStartedAt, Instant newFinishedAt, String newLastError) {
    return new JobRow(id, tenant, queue, type, status, priority, attempts, maxAttempts, createdAt, updatedAt, specRunAt, runAt,
        expiresAt, readyAt, newStartedAt, newFinishedAt, workerId, node, leaseExpiresAt, deadlineAt, newLastError, tags, payloadBytes,
        lastSeqNr);
  }
}
