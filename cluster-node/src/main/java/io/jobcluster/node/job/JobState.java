package io.jobcluster.node.job;

import io.jobcluster.protocol.CborSerializable;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import java.time.Instant;

/**
 * The job entity's state: no job (never submitted, or deleted), or a job in one of its phases, one
 * record per phase. This is the one place where events are folded into a job; every other reader
 * of events copies the facts the events carry.
 */
public sealed interface JobState extends CborSerializable {

  JobState apply(JobEvent event);

  /**
   * The state after {@code event}: what the phase makes of it, except that a deletion ends a job
   * in any phase. Only a finished job is deleted, but once the purge of a deleted job has begun
   * ({@code JournalPurge}: its snapshots and earlier events first, the deletion event last), a
   * recovery may read a snapshot of an earlier phase and then only the deletion.
   */
  static JobState after(JobState state, JobEvent event) {
    return event instanceof JobEvent.Deleted ? NoJob.INSTANCE : state.apply(event);
  }

  /** Never submitted, or deleted: only a submission creates a job here. */
  record NoJob() implements JobState {
    public static final NoJob INSTANCE = new NoJob();

    @Override
    public JobState apply(JobEvent event) {
      if (event instanceof JobEvent.Submitted e) {
        JobCommon common = JobCommon.submitted(e);
        return e.to() == JobStatus.SCHEDULED ? new Scheduled(common) : new Pending(common, e.at());
      }
      throw unexpected(this, event);
    }
  }

  /** A job in one of its phases. */
  sealed interface Job extends JobState permits Scheduled, Pending, Running, Retrying, Finished {

    /** What every phase of the job has. */
    JobCommon common();

    JobStatus status();

    /** The earliest persisted deadline this job waits for, or null when it waits for none. */
    Instant nextDeadline();

    default String id() {
      return common().id();
    }

    default String tenant() {
      return common().tenant();
    }

    default JobSpec spec() {
      return common().spec();
    }

    default int attempts() {
      return common().attempts();
    }

    /** The attempt the job is on: the running one, or the last one charged. */
    default int currentAttempt() {
      return attempts();
    }

    default JobView view() {
      JobCommon c = common();
      Instant runAt = this instanceof Retrying retrying ? retrying.retryAt() : c.spec().runAt();
      Instant leaseExpiresAt = this instanceof Running running ? running.lease().expiresAt() : null;
      String result = this instanceof Finished finished ? finished.result() : null;
      return new JobView(c.id(), c.spec().queue(), c.spec().type(), status(), c.spec().priority(), c.spec().payload(), c.attempts(),
          c.maxAttempts(), c.createdAt(), c.updatedAt(), runAt, c.startedAt(), c.finishedAt(), c.workerId(), leaseExpiresAt,
          c.lastError(), result, c.progress(), c.spec().tags(), c.spec().webhook());
    }
  }

  /** Waits for its runAt. */
  record Scheduled(JobCommon common) implements Job {
    @Override
    public JobStatus status() {
      return JobStatus.SCHEDULED;
    }

    @Override
    public Instant nextDeadline() {
      return deadline(common.spec());
    }

    /** A scheduled job's deadline: its runAt, or its expiry if that comes first. */
    public static Instant deadline(JobSpec spec) {
      return earliest(spec.runAt(), spec.expiresAt());
    }

    @Override
    public JobState apply(JobEvent event) {
      if (event instanceof JobEvent.MadePending e) {
        return new Pending(common.after(e), e.at());
      }
      return Finished.ending(this, event);
    }
  }

  /**
   * Waits for a worker.
   *
   * @param since when it became PENDING; dispatch serves the longest waiting first among equal priorities
   */
  record Pending(JobCommon common, Instant since) implements Job {
    @Override
    public JobStatus status() {
      return JobStatus.PENDING;
    }

    @Override
    public Instant nextDeadline() {
      return deadline(common.spec());
    }

    /** A pending job's deadline: its expiry, if it has one. */
    public static Instant deadline(JobSpec spec) {
      return spec.expiresAt();
    }

    @Override
    public JobState apply(JobEvent event) {
      if (event instanceof JobEvent.Leased e) {
        AttemptLease lease = new AttemptLease(e.attempt(), e.leaseId(), e.workerId(), e.node(), e.at(), e.leaseExpiresAt());
        return new Running(common.after(e).startedBy(lease), lease);
      }
      return Finished.ending(this, event);
    }
  }

  /** An attempt runs under {@code lease}, the fencing token every worker report must name. */
  record Running(JobCommon common, AttemptLease lease) implements Job {
    @Override
    public JobStatus status() {
      return JobStatus.RUNNING;
    }

    @Override
    public Instant nextDeadline() {
      return lease.expiresAt();
    }

    @Override
    public int currentAttempt() {
      return lease.attempt();
    }

    @Override
    public JobState apply(JobEvent event) {
      if (event instanceof JobEvent.HeartbeatRecorded e) {
        return new Running(common.after(e).withProgress(e.progress()), lease.extendedTo(e.leaseExpiresAt()));
      } else if (event instanceof JobEvent.LeaseRenewed e) {
        return new Running(common.after(e), lease.extendedTo(e.leaseExpiresAt()));
      } else if (event instanceof JobEvent.HandedBack e) {
        return new Pending(common.after(e), e.at());
      } else if (event instanceof JobEvent.AttemptFailed e) {
        JobCommon failed = common.after(e).failedWith(e.error(), e.cause() == FailureCause.WORKER_LOST);
        return e.to() == JobStatus.RETRYING ? new Retrying(failed, e.retryAt()) : new Finished(failed.finishedAt(e.at()), JobStatus.FAILED, null);
      }
      return Finished.ending(this, event);
    }
  }

  /** Waits for the end of its backoff, {@code retryAt}. */
  record Retrying(JobCommon common, Instant retryAt) implements Job {
    @Override
    public JobStatus status() {
      return JobStatus.RETRYING;
    }

    @Override
    public Instant nextDeadline() {
      return deadline(retryAt, common.spec());
    }

    /** A retrying job's deadline: the end of its backoff, or its expiry if that comes first. */
    public static Instant deadline(Instant retryAt, JobSpec spec) {
      return earliest(retryAt, spec.expiresAt());
    }

    @Override
    public JobState apply(JobEvent event) {
      if (event instanceof JobEvent.MadePending e) {
        return new Pending(common.after(e), e.at());
      }
      return Finished.ending(this, event);
    }
  }

  /**
   * Ended: COMPLETED (with its {@code result}), FAILED (a dead letter, which may be redriven),
   * CANCELLED or EXPIRED. Only deletion (and redrive of a dead letter) follows.
   */
  record Finished(JobCommon common, JobStatus status, String result) implements Job {
    public Finished {
      if (status.isActive()) {
        throw new IllegalArgumentException("a finished job cannot be " + status);
      }
    }

    @Override
    public Instant nextDeadline() {
      return null;
    }

    @Override
    public JobState apply(JobEvent event) {
      if (event instanceof JobEvent.Redriven e && status == JobStatus.FAILED) {
        return new Pending(common.after(e).redriven(e.maxAttempts()), e.at());
      }
      throw unexpected(this, event);
    }

    /** The ends an active job of any phase may come to: completion, cancellation, expiry. */
    static JobState ending(Job job, JobEvent event) {
      JobCommon common = job.common().after(event).finishedAt(event.at());
      if (event instanceof JobEvent.Completed e && job instanceof Running) {
        return new Finished(common, JobStatus.COMPLETED, e.result());
      } else if (event instanceof JobEvent.Cancelled) {
        return new Finished(common, JobStatus.CANCELLED, null);
      } else if (event instanceof JobEvent.Expired && !(job instanceof Running)) {
        return new Finished(common, JobStatus.EXPIRED, null);
      }
      throw unexpected(job, event);
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }

  private static IllegalStateException unexpected(JobState state, JobEvent event) {
    return new IllegalStateException("a job in " + state.getClass().getSimpleName() + " cannot apply " + event);
  }
}
