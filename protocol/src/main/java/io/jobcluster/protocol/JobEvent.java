package io.jobcluster.protocol;

import java.time.Instant;

/**
 * The persisted events of a job, one per state change. Each carries what read models and the
 * history need: job id, attempt, the status before and after, and when it happened.
 */
public sealed interface JobEvent extends CborSerializable {

  String jobId();

  /** The attempt the event belongs to (0 before the first lease). */
  int attempt();

  /** The status before the event; null for {@link Submitted}. */
  JobStatus from();

  /** The status after the event. */
  JobStatus to();

  Instant at();

  /** A job was accepted, as SCHEDULED (runAt in the future) or PENDING. */
  record Submitted(String jobId, String tenant, JobSpec spec, JobStatus to, Instant at) implements JobEvent {
    @Override
    public int attempt() {
      return 0;
    }

    @Override
    public JobStatus from() {
      return null;
    }
  }

  /** A SCHEDULED job reached its runAt, or a RETRYING job's backoff elapsed. */
  record MadePending(String jobId, int attempt, JobStatus from, Instant at) implements JobEvent {
    @Override
    public JobStatus to() {
      return JobStatus.PENDING;
    }
  }

  /** A worker got the job; the attempt runs until {@code leaseExpiresAt} unless it heartbeats. */
  record Leased(String jobId, int attempt, String leaseId, String workerId, String node, Instant leaseExpiresAt, Instant at) implements JobEvent {
    @Override
    public JobStatus from() {
      return JobStatus.PENDING;
    }

    @Override
    public JobStatus to() {
      return JobStatus.RUNNING;
    }
  }

  /** The worker is alive: the lease now runs until {@code leaseExpiresAt}. */
  record HeartbeatRecorded(String jobId, int attempt, String leaseId, String progress, Instant leaseExpiresAt, Instant at) implements JobEvent {
    @Override
    public JobStatus from() {
      return JobStatus.RUNNING;
    }

    @Override
    public JobStatus to() {
      return JobStatus.RUNNING;
    }
  }

  /**
   * The job's entity restarted while the job ran (its node died, the cluster restarted, its shard
   * moved): heartbeats could not reach the job meanwhile, so the lease counts afresh from the
   * restart and a live worker's next heartbeat still finds it. A worker that is really gone is
   * found by the lost-worker path or at {@code leaseExpiresAt}.
   */
  record LeaseRenewed(String jobId, int attempt, String leaseId, Instant leaseExpiresAt, Instant at) implements JobEvent {
    @Override
    public JobStatus from() {
      return JobStatus.RUNNING;
    }

    @Override
    public JobStatus to() {
      return JobStatus.RUNNING;
    }
  }

  record Completed(String jobId, int attempt, String leaseId, String workerId, String result, Instant at) implements JobEvent {
    @Override
    public JobStatus from() {
      return JobStatus.RUNNING;
    }

    @Override
    public JobStatus to() {
      return JobStatus.COMPLETED;
    }
  }

  /**
   * An attempt ended without a result: RETRYING until {@code retryAt} when attempts are left and
   * the failure is retryable, else FAILED (the dead-letter list).
   */
  record AttemptFailed(String jobId, int attempt, String leaseId, String workerId, FailureCause cause, String error, boolean retryable, JobStatus to, Instant retryAt, Instant at)
      implements JobEvent {
    @Override
    public JobStatus from() {
      return JobStatus.RUNNING;
    }
  }

  /** A draining worker gave the job back unfinished; the attempt is not charged. */
  record HandedBack(String jobId, int attempt, String leaseId, String workerId, Instant at) implements JobEvent {
    @Override
    public JobStatus from() {
      return JobStatus.RUNNING;
    }

    @Override
    public JobStatus to() {
      return JobStatus.PENDING;
    }
  }

  record Cancelled(String jobId, int attempt, JobStatus from, String reason, Instant at) implements JobEvent {
    @Override
    public JobStatus to() {
      return JobStatus.CANCELLED;
    }
  }

  /** The job's latest start passed before it started. */
  record Expired(String jobId, int attempt, JobStatus from, Instant at) implements JobEvent {
    @Override
    public JobStatus to() {
      return JobStatus.EXPIRED;
    }
  }

  /** A FAILED job was sent back to PENDING with a fresh budget of attempts (up to {@code maxAttempts}). */
  record Redriven(String jobId, int attempt, int maxAttempts, Instant at) implements JobEvent {
    @Override
    public JobStatus from() {
      return JobStatus.FAILED;
    }

    @Override
    public JobStatus to() {
      return JobStatus.PENDING;
    }
  }

  /** A terminal job was deleted; its id answers not_found from now on. */
  record Deleted(String jobId, int attempt, JobStatus from, Instant at) implements JobEvent {
    @Override
    public JobStatus to() {
      return from;
    }
  }
}
