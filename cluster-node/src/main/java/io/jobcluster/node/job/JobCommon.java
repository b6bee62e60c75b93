package io.jobcluster.node.job;

import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobSpec;
import java.time.Instant;

/**
 * What a job has in every phase of {@link JobState.Job}.
 *
 * @param attempts attempts charged so far; a handed-back attempt or a lost worker is not charged
 * @param workerLosses attempts that ended because their worker's node was lost, counted apart
 * @param startedAt start of the current or last attempt
 * @param workerId the worker of the current or last attempt
 */
public record JobCommon(
    String id,
    String tenant,
    JobSpec spec,
    int attempts,
    int maxAttempts,
    int workerLosses,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt,
    String workerId,
    String lastError,
    String progress) {

  static JobCommon submitted(JobEvent.Submitted e) {
    return new JobCommon(e.jobId(), e.tenant(), e.spec(), 0, e.spec().maxAttempts(), 0, e.at(), e.at(), null, null, null, null, null);
  }

  public boolean hasAttemptsLeft() {
    return attempts < maxAttempts;
  }

  public boolean isExpiredAt(Instant now) {
    return spec.expiresAt() != null && !now.isBefore(spec.expiresAt());
  }

  /** After any event: the attempts it says are charged, and its time. */
  JobCommon after(JobEvent event) {
    return new JobCommon(id, tenant, spec, event.attempts(), maxAttempts, workerLosses, createdAt, event.at(), startedAt, finishedAt,
        workerId, lastError, progress);
  }

  /** A new attempt: its start and worker; the last attempt's progress no longer applies. */
  JobCommon startedBy(AttemptLease lease) {
    return new JobCommon(id, tenant, spec, attempts, maxAttempts, workerLosses, createdAt, updatedAt, lease.startedAt(), null,
        lease.workerId(), lastError, null);
  }

  JobCommon withProgress(String newProgress) {
    return newProgress == null ? this : new JobCommon(id, tenant, spec, attempts, maxAttempts, workerLosses, createdAt, updatedAt,
        startedAt, finishedAt, workerId, lastError, newProgress);
  }

  JobCommon failedWith(String error, boolean workerLost) {
    return new JobCommon(id, tenant, spec, attempts, maxAttempts, workerLost ? workerLosses + 1 : workerLosses, createdAt, updatedAt,
        startedAt, finishedAt, workerId, error, progress);
  }

  JobCommon finishedAt(Instant at) {
    return new JobCommon(id, tenant, spec, attempts, maxAttempts, workerLosses, createdAt, updatedAt, startedAt, at, workerId,
        lastError, progress);
  }

  /** A dead letter sent back: a fresh budget of attempts and of worker losses, not finished any more. */
  JobCommon redriven(int newMaxAttempts) {
    return new JobCommon(id, tenant, spec, attempts, newMaxAttempts, 0, createdAt, updatedAt, startedAt, null, workerId, lastError,
        progress);
  }
}
