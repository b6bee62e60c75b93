package io.jobcluster.protocol;

import java.time.Instant;

/**
 * The persisted events of a job, one per state change. Every event carries the facts it implies,
 * so that what reads events (the read model, the history, the metrics) copies them instead of
 * folding the lifecycle again: the status before and after, the attempt it belongs to, the
 * attempts charged after it, and the job's next deadline after it.
 */
public sealed interface JobEvent extends CborSerializable {

  String jobId();

  /** The status before the event; null for {@link Submitted}. */
  JobStatus from();

  /** The status after the event. */
  JobStatus to();

  /** Attempts charged after the event (a handed-back attempt or a lost worker is not charged). */
  int attempts();

  /** The attempt the event belongs to: the running or the last attempt (0 before the first lease). */
  default int attempt() {
    return attempts();
  }

  /**
   * The job's next deadline after the event (runAt, end of backoff, end of lease, or expiry,
   * whichever comes first); null when it waits for none.
   */
  Instant deadline();

  Instant at();

  /** A job was accepted, as SCHEDULED (runAt in the future) or PENDING. */
  record Submitted(String jobId, String tenant, JobSpec spec, JobStatus to, Instant deadline, Instant at) implements JobEvent {
    @Override
    public JobStatus from() {
      return null;
    }

    @Override
    public int attempts() {
      return 0;
    }
  }

  /** A SCHEDULED job reached its runAt, or a RETRYING job's backoff elapsed. */
  record MadePending(String jobId, JobStatus from, int attempts, Instant deadline, Instant at) implements JobEvent {
    @Override
    public JobStatus to() {
      return JobStatus.PENDING;
    }
  }

  /**
   * A worker got the job; the attempt runs until {@code leaseExpiresAt} unless it heartbeats.
   *
   * @param pendingSince when the job became PENDING: it waited from then until now for a worker
   */
  record Leased(String jobId, int attempt, String leaseId, String workerId, String node, Instant leaseExpiresAt, Instant pendingSince,
      Instant at) implements JobEvent {
    @Override
    public JobStatus from() {
      return JobStatus.PENDING;
    }

    @Override
    public JobStatus to() {
      return JobStatus.RUNNING;
    }

    @Override
    public int attempts() {
      return attempt;
    }

    @Override
    public Instant deadline() {
      return leaseExpiresAt;
    }
  }

  /** The running attempt's lease now runs until {@code leaseExpiresAt}; the job stays RUNNING. */
  sealed interface LeaseExtension extends JobEvent {
    Instant leaseExpiresAt();

    @Override
    default JobStatus from() {
      return JobStatus.RUNNING;
    }

    @Override
    default JobStatus to() {
      return JobStatus.RUNNING;
    }

    @Override
    default int attempts() {
      return attempt();
    }

    @Override
    default Instant deadline() {
      return leaseExpiresAt();
    }
  }

  /** The worker is alive: the lease now runs until {@code leaseExpiresAt}. */
  record HeartbeatRecorded(String jobId, int attempt, String leaseId, String progress, Instant leaseExpiresAt, Instant at)
      implements LeaseExtension {}

  /**
   * The job's entity restarted while the job ran (its node died, the cluster restarted, its shard
   * moved): heartbeats could not reach the job meanwhile, so the lease counts afresh from the
   * restart and a live worker's next heartbeat still finds it. A worker that is really gone is
   * found by the lost-worker path or at {@code leaseExpiresAt}.
   */
  record LeaseRenewed(String jobId, int attempt, String leaseId, String workerId, String node, Instant leaseExpiresAt, Instant at)
      implements LeaseExtension {}

  /** The attempt that started at {@code startedAt} succeeded. */
  record Completed(String jobId, int attempt, String leaseId, String workerId, String node, String result, Instant startedAt, Instant at)
      implements JobEvent {
    @Override
    public JobStatus from() {
      return JobStatus.RUNNING;
    }

    @Override
    public JobStatus to() {
      return JobStatus.COMPLETED;
    }

    @Override
    public int attempts() {
      return attempt;
    }

    @Override
    public Instant deadline() {
      return null;
    }
  }

  /**
   * An attempt ended without a result: RETRYING until {@code retryAt} when the job may run again,
   * else FAILED (the dead-letter list). A lost worker's attempt is not charged ({@code attempts}
   * is one less than {@code attempt}).
   */
  record AttemptFailed(String jobId, int attempt, String leaseId, String workerId, String node, FailureCause cause, String error,
      boolean retryable, JobStatus to, int attempts, Instant retryAt, Instant deadline, Instant startedAt, Instant at)
      implements JobEvent {
    @Override
    public JobStatus from() {
      return JobStatus.RUNNING;
    }
  }

  /** A draining worker gave the job back unfinished; the attempt is not charged. */
  record HandedBack(String jobId, int attempt, String leaseId, String workerId, String node, Instant deadline, Instant at)
      implements JobEvent {
    @Override
    public JobStatus from() {
      return JobStatus.RUNNING;
    }

    @Override
    public JobStatus to() {
      return JobStatus.PENDING;
    }

    @Override
    public int attempts() {
      return attempt - 1;
    }
  }

  record Cancelled(String jobId, JobStatus from, int attempts, String reason, Instant at) implements JobEvent {
    @Override
    public JobStatus to() {
      return JobStatus.CANCELLED;
    }

    @Override
    public Instant deadline() {
      return null;
    }
  }

  /** The job's latest start passed before it started. */
  record Expired(String jobId, JobStatus from, int attempts, Instant at) implements JobEvent {
    @Override
    public JobStatus to() {
      return JobStatus.EXPIRED;
    }

    @Override
    public Instant deadline() {
      return null;
    }
  }

  /** A FAILED job was sent back to PENDING with a fresh budget of attempts (up to {@code maxAttempts}). */
  record Redriven(String jobId, int attempts, int maxAttempts, Instant deadline, Instant at) implements JobEvent {
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
  record Deleted(String jobId, JobStatus from, int attempts, Instant at) implements JobEvent {
    @Override
    public JobStatus to() {
      return from;
    }

    @Override
    public Instant deadline() {
      return null;
    }
  }
}
