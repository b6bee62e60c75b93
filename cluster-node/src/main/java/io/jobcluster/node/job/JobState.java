package io.jobcluster.node.job;

import io.jobcluster.protocol.CborSerializable;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import java.time.Instant;

/** The job entity's state: no job yet (or deleted), or a job. Events are applied here. */
public sealed interface JobState extends CborSerializable {

  JobState apply(JobEvent event);

  /** Never submitted, or deleted: only a submission creates a job here. */
  record NoJob() implements JobState {
    public static final NoJob INSTANCE = new NoJob();

    @Override
    public JobState apply(JobEvent event) {
      if (event instanceof JobEvent.Submitted submitted) {
        return Job.submitted(submitted);
      }
      throw new IllegalStateException("unexpected event without a job: " + event);
    }
  }

  /**
   * A job and everything its view and deadlines need.
   *
   * @param attempts attempts charged so far; a handed-back attempt or a lost worker is not charged
   * @param lease the running attempt's lease, present exactly while RUNNING
   * @param retryAt end of backoff, present exactly while RETRYING
   * @param workerId the worker of the current or last attempt
   * @param workerLosses attempts that ended because the worker's node died, counted apart
   */
  record Job(
      String id,
      String tenant,
      JobSpec spec,
      JobStatus status,
      int attempts,
      int maxAttempts,
      AttemptLease lease,
      Instant retryAt,
      String workerId,
      int workerLosses,
      Instant createdAt,
      Instant updatedAt,
      Instant startedAt,
      Instant finishedAt,
      String lastError,
      String result,
      String progress)
      implements JobState {

    static Job submitted(JobEvent.Submitted e) {
      return new Job(e.jobId(), e.tenant(), e.spec(), e.to(), 0, e.spec().maxAttempts(), null, null, null, 0,
          e.at(), e.at(), null, null, null, null, null);
    }

    @Override
    public JobState apply(JobEvent event) {
      if (event instanceof JobEvent.MadePending e) {
        return moved(JobStatus.PENDING, e.at()).withRetryAt(null);
      } else if (event instanceof JobEvent.Leased e) {
        return moved(JobStatus.RUNNING, e.at())
            .withAttempts(e.attempt(), maxAttempts, workerLosses)
            .withLease(new AttemptLease(e.attempt(), e.leaseId(), e.workerId(), e.node(), e.leaseExpiresAt()), e.workerId())
            .withOutcome(e.at(), null, lastError, null, null);
      } else if (event instanceof JobEvent.HeartbeatRecorded e) {
        return moved(JobStatus.RUNNING, e.at())
            .withLease(lease.extendedTo(e.leaseExpiresAt()), workerId)
            .withOutcome(startedAt, finishedAt, lastError, result, e.progress() == null ? progress : e.progress());
      } else if (event instanceof JobEvent.LeaseRenewed e) {
        return moved(JobStatus.RUNNING, e.at()).withLease(lease.extendedTo(e.leaseExpiresAt()), workerId);
      } else if (event instanceof JobEvent.Completed e) {
        return moved(JobStatus.COMPLETED, e.at())
            .withLease(null, workerId)
            .withOutcome(startedAt, e.at(), lastError, e.result(), progress);
      } else if (event instanceof JobEvent.AttemptFailed e) {
        return attemptFailed(e);
      } else if (event instanceof JobEvent.HandedBack e) {
        return moved(JobStatus.PENDING, e.at())
            .withAttempts(e.attempt() - 1, maxAttempts, workerLosses)
            .withLease(null, workerId);
      } else if (event instanceof JobEvent.Cancelled e) {
        return moved(JobStatus.CANCELLED, e.at())
            .withLease(null, workerId)
            .withRetryAt(null)
            .withOutcome(startedAt, e.at(), lastError, result, progress);
      } else if (event instanceof JobEvent.Expired e) {
        return moved(JobStatus.EXPIRED, e.at())
            .withRetryAt(null)
            .withOutcome(startedAt, e.at(), lastError, result, progress);
      } else if (event instanceof JobEvent.Redriven e) {
        return moved(JobStatus.PENDING, e.at())
            .withAttempts(attempts, e.maxAttempts(), 0)
            .withOutcome(startedAt, null, lastError, result, progress);
      } else if (event instanceof JobEvent.Deleted) {
        return NoJob.INSTANCE;
      }
      throw new IllegalStateException("job " + id + " cannot apply " + event);
    }

    private Job attemptFailed(JobEvent.AttemptFailed e) {
      boolean workerLost = e.cause() == FailureCause.WORKER_LOST;
      Job next = moved(e.to(), e.at())
          .withAttempts(workerLost ? e.attempt() - 1 : e.attempt(), maxAttempts, workerLost ? workerLosses + 1 : workerLosses)
          .withLease(null, workerId)
          .withRetryAt(e.retryAt());
      Instant finished = e.to() == JobStatus.FAILED ? e.at() : null;
      return next.withOutcome(startedAt, finished, e.error(), result, progress);
    }

    public JobView view() {
      Instant nextRun = status == JobStatus.RETRYING ? retryAt : spec.runAt();
      return new JobView(id, spec.queue(), spec.type(), status, spec.priority(), spec.payload(), attempts, maxAttempts,
          createdAt, updatedAt, nextRun, startedAt, finishedAt, workerId, lease == null ? null : lease.expiresAt(),
          lastError, result, progress, spec.tags());
    }

    /** Attempts a job may still make before it fails for good. */
    public boolean hasAttemptsLeft() {
      return attempts < maxAttempts;
    }

    public boolean isExpiredAt(Instant now) {
      return spec.expiresAt() != null && !now.isBefore(spec.expiresAt());
    }

    /** The earliest persisted deadline this job waits for, or null when it waits for none. */
    public Instant nextDeadline() {
      return switch (status) {
        case SCHEDULED -> earliest(spec.runAt(), spec.expiresAt());
        case PENDING -> spec.expiresAt();
        case RUNNING -> lease.expiresAt();
        case RETRYING -> earliest(retryAt, spec.expiresAt());
        case COMPLETED, FAILED, CANCELLED, EXPIRED -> null;
      };
    }

    private static Instant earliest(Instant a, Instant b) {
      if (b == null) {
        return a;
      }
      return a.isBefore(b) ? a : b;
    }

    private Job moved(JobStatus to, Instant at) {
      return new Job(id, tenant, spec, to, attempts, maxAttempts, lease, retryAt, workerId, workerLosses,
          createdAt, at, startedAt, finishedAt, lastError, result, progress);
    }

    private Job withAttempts(int newAttempts, int newMaxAttempts, int newWorkerLosses) {
      return new Job(id, tenant, spec, status, newAttempts, newMaxAttempts, lease, retryAt, workerId, newWorkerLosses,
          createdAt, updatedAt, startedAt, finishedAt, lastError, result, progress);
    }

    private Job withLease(AttemptLease newLease, String newWorkerId) {
      return new Job(id, tenant, spec, status, attempts, maxAttempts, newLease, retryAt, newWorkerId, workerLosses,
          createdAt, updatedAt, startedAt, finishedAt, lastError, result, progress);
    }

    private Job withRetryAt(Instant newRetryAt) {
      return new Job(id, tenant, spec, status, attempts, maxAttempts, lease, newRetryAt, workerId, workerLosses,
          createdAt, updatedAt, startedAt, finishedAt, lastError, result, progress);
    }

    private Job withOutcome(Instant newStartedAt, Instant newFinishedAt, String newLastError, String newResult, String newProgress) {
      return new Job(id, tenant, spec, status, attempts, maxAttempts, lease, retryAt, workerId, workerLosses,
          createdAt, updatedAt, newStartedAt, newFinishedAt, newLastError, newResult, newProgress);
    }
  }
}
