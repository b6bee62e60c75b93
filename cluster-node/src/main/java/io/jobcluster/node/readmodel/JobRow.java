package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.JobSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * One row of the {@code jobs} table, and how each job event changes it. It follows
 * {@code JobState.Job} event by event, so the row shows what the job's view shows (a test holds
 * the two side by side).
 *
 * @param specRunAt the earliest start the submitter asked for
 * @param runAt the view's runAt: {@code specRunAt}, or the end of backoff while RETRYING
 * @param readyAt when the job last became PENDING
 * @param node the node of the current or last attempt's worker
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
        e.at(), e.at(), spec.runAt(), spec.runAt(), spec.expiresAt(), readyAt, null, null, null, null, null, null,
        spec.tags(), payloadBytes, seqNr);
  }

  /** This row after {@code event} (anything but a submission or deletion, which the batch handles). */
  JobRow apply(JobEvent event, long seqNr) {
    JobRow moved = moved(event.to(), event.at(), seqNr);
    if (event instanceof JobEvent.MadePending e) {
      return moved.withSchedule(specRunAt, e.at());
    } else if (event instanceof JobEvent.Leased e) {
      return moved.withAttempts(e.attempt(), maxAttempts)
          .withWorker(e.workerId(), e.node(), e.leaseExpiresAt())
          .withOutcome(e.at(), null, lastError);
    } else if (event instanceof JobEvent.HeartbeatRecorded e) {
      return moved.withWorker(workerId, node, e.leaseExpiresAt());
    } else if (event instanceof JobEvent.LeaseRenewed e) {
      return moved.withWorker(workerId, node, e.leaseExpiresAt());
    } else if (event instanceof JobEvent.Completed e) {
      return moved.withWorker(workerId, node, null).withOutcome(startedAt, e.at(), lastError);
    } else if (event instanceof JobEvent.AttemptFailed e) {
      return moved.attemptFailed(e);
    } else if (event instanceof JobEvent.HandedBack e) {
      return moved.withAttempts(e.attempt() - 1, maxAttempts).withWorker(workerId, node, null).withSchedule(runAt, e.at());
    } else if (event instanceof JobEvent.Cancelled e) {
      return moved.withWorker(workerId, node, null).withSchedule(specRunAt, readyAt).withOutcome(startedAt, e.at(), lastError);
    } else if (event instanceof JobEvent.Expired e) {
      return moved.withSchedule(specRunAt, readyAt).withOutcome(startedAt, e.at(), lastError);
    } else if (event instanceof JobEvent.Redriven e) {
      return moved.withAttempts(attempts, e.maxAttempts()).withSchedule(runAt, e.at()).withOutcome(startedAt, null, lastError);
    }
    throw new IllegalArgumentException("job " + id + ": a row does not apply " + event.getClass().getSimpleName());
  }

  private JobRow attemptFailed(JobEvent.AttemptFailed e) {
    // A lost worker's attempt is not charged (as in the entity); the entity counts those apart.
    int charged = e.cause() == FailureCause.WORKER_LOST ? e.attempt() - 1 : e.attempt();
    Instant nextRun = e.to() == JobStatus.RETRYING ? e.retryAt() : specRunAt;
    Instant finished = e.to() == JobStatus.FAILED ? e.at() : null;
    return withAttempts(charged, maxAttempts).withWorker(workerId, node, null).withSchedule(nextRun, readyAt)
        .withOutcome(startedAt, finished, e.error());
  }

  /** The entity's next deadline in this status (as {@code JobState.Job.nextDeadline}); null for none. */
  Instant deadlineAt() {
    return switch (status) {
      case SCHEDULED -> earliest(specRunAt, expiresAt);
      case PENDING -> expiresAt;
      case RUNNING -> leaseExpiresAt;
      case RETRYING -> earliest(runAt, expiresAt);
      case COMPLETED, FAILED, CANCELLED, EXPIRED -> null;
    };
  }

  JobSummary summary() {
    return new JobSummary(id, tenant, queue, type, status, priority, attempts, maxAttempts, createdAt, updatedAt, runAt, readyAt,
        startedAt, finishedAt, workerId, leaseExpiresAt, lastError, tags);
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return a.isBefore(b) ? a : b;
  }

  private JobRow moved(JobStatus to, Instant at, long seqNr) {
    return new JobRow(id, tenant, queue, type, to, priority, attempts, maxAttempts, createdAt, at, specRunAt, runAt, expiresAt,
        readyAt, startedAt, finishedAt, workerId, node, leaseExpiresAt, lastError, tags, payloadBytes, seqNr);
  }

  private JobRow withAttempts(int newAttempts, int newMaxAttempts) {
    return new JobRow(id, tenant, queue, type, status, priority, newAttempts, newMaxAttempts, createdAt, updatedAt, specRunAt, runAt,
        expiresAt, readyAt, startedAt, finishedAt, workerId, node, leaseExpiresAt, lastError, tags, payloadBytes, lastSeqNr);
  }

  private JobRow withWorker(String newWorkerId, String newNode, Instant newLeaseExpiresAt) {
    return new JobRow(id, tenant, queue, type, status, priority, attempts, maxAttempts, createdAt, updatedAt, specRunAt, runAt,
        expiresAt, readyAt, startedAt, finishedAt, newWorkerId, newNode, newLeaseExpiresAt, lastError, tags, payloadBytes, lastSeqNr);
  }

  private JobRow withSchedule(Instant newRunAt, Instant newReadyAt) {
    return new JobRow(id, tenant, queue, type, status, priority, attempts, maxAttempts, createdAt, updatedAt, specRunAt, newRunAt,
        expiresAt, newReadyAt, startedAt, finishedAt, workerId, node, leaseExpiresAt, lastError, tags, payloadBytes, lastSeqNr);
  }

  private JobRow withOutcome(Instant newStartedAt, Instant newFinishedAt, String newLastError) {
    return new JobRow(id, tenant, queue, type, status, priority, attempts, maxAttempts, createdAt, updatedAt, specRunAt, runAt,
        expiresAt, readyAt, newStartedAt, newFinishedAt, workerId, node, leaseExpiresAt, newLastError, tags, payloadBytes, lastSeqNr);
  }
}
