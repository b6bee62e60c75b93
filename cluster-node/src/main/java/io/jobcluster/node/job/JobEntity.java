package io.jobcluster.node.job;

import io.jobcluster.protocol.CborSerializable;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobTransitions;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One job: a persistent, sharded actor that owns the job's state machine. Every change is checked
 * against {@link JobTransitions}, persisted as one {@link JobEvent}, and only then answered. Deadlines
 * (runAt, lease, backoff, expiry) are absolute instants in the state; a single timer is re-armed for
 * the earliest of them after every event and after recovery.
 *
 * <p>What stays in memory: jobs that wait for a worker or run. A job that waits for a deadline
 * further away than {@link JobEntitySettings#wakeHorizon()} leaves memory at once and the
 * {@link DeadlineSweeper} wakes it in time; a finished job leaves after
 * {@link JobEntitySettings#finishedIdleTimeout()}.
 */
public final class JobEntity extends EventSourcedBehaviorWithEnforcedReplies<JobEntity.Command, JobEvent, JobState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Job");

  /** Events are tagged into this many slices so a projection can read them in parallel. */
  public static final int TAG_SLICES = 4;

  private static final String DEADLINE_TIMER = "deadline";
  private static final String IDLE_TIMER = "idle";
  private static final int MAX_TEXT = 8_192;

  public sealed interface Command extends CborSerializable {}

  /** A command that is answered with a {@link JobReply}. */
  public sealed interface Request extends Command {
    ActorRef<JobReply> replyTo();
  }

  /** A worker's report on the attempt of lease {@code leaseId}; it counts only while that lease is the current one. */
  public sealed interface LeaseReport extends Request {
    String leaseId();

    /**
     * The tenant the reporting worker works for: another tenant's job answers {@code not_found} as if
     * it did not exist, whatever the lease id. Null for the cluster's own pools, which serve every tenant.
     */
    default String tenant() {
      return null;
    }
  }

  /**
   * Create the job; a repeat of the same request answers the existing job.
   *
   * @param fresh the job id was drawn at random for this submission, so no event of it can exist
   *     and the entity starts without reading the journal
   */
  public record Submit(String tenant, JobSpec spec, boolean fresh, ActorRef<JobReply> replyTo) implements Request {}

  /** Read the job; {@code tenant} null reads any tenant's job (internal and admin callers). */
  public record Get(String tenant, ActorRef<JobReply> replyTo) implements Request {}

  /**
   * Hand the job to a worker; {@code leaseId} is chosen by the caller so a retried lease is
   * idempotent. {@code cancelListener} (may be null) hears {@link AttemptCancelled} if the job is cancelled
   * while this entity instance runs; a worker also learns it from its next heartbeat.
   */
  public record Lease(String leaseId, String workerId, String node, ActorRef<AttemptCancelled> cancelListener, ActorRef<JobReply> replyTo)
      implements Request {}

  /** @param tenant see {@link LeaseReport#tenant()}; an external worker's key's tenant, null for a cluster pool */
  public record Heartbeat(String tenant, String leaseId, String progress, ActorRef<JobReply> replyTo) implements LeaseReport {}

  /** @param tenant see {@link LeaseReport#tenant()} */
  public record Complete(String tenant, String leaseId, String result, ActorRef<JobReply> replyTo) implements LeaseReport {}

  /**
   * @param tenant see {@link LeaseReport#tenant()}
   * @param notBefore the earliest a retry may start (the worker's hint, e.g. a server's Retry-After):
   *     the retry waits for the later of it and the job's backoff; null for the backoff alone
   */
  public record Fail(String tenant, String leaseId, String error, boolean retryable, Instant notBefore, ActorRef<JobReply> replyTo)
      implements LeaseReport {
    public Fail(String tenant, String leaseId, String error, boolean retryable, ActorRef<JobReply> replyTo) {
      this(tenant, leaseId, error, retryable, null, replyTo);
    }
  }

  /** A draining worker gives the job back unfinished: PENDING again, attempt not charged. */
  public record HandBack(String leaseId, ActorRef<JobReply> replyTo) implements LeaseReport {}

  /** The worker's node is gone: the attempt ends without charging it, counted as a worker loss. */
  public record WorkerLost(String leaseId, ActorRef<JobReply> replyTo) implements LeaseReport {}

  /**
   * The node {@code node} left the cluster: if the current attempt's lease is held there, end it as
   * a lost worker. Sent by a dispatcher that did not watch that node's pool itself (it restarted).
   */
  public record WorkerNodeLost(String node, ActorRef<JobReply> replyTo) implements Request {}

  public record Cancel(String tenant, String reason, ActorRef<JobReply> replyTo) implements Request {}

  /** Send a FAILED job (a dead letter) back to PENDING with a fresh budget of attempts. */
  public record Retry(String tenant, ActorRef<JobReply> replyTo) implements Request {}

  public record Delete(String tenant, ActorRef<JobReply> replyTo) implements Request {}

  /**
   * From the retention sweep: delete the job as {@link Delete} does, but only while it is finished
   * and unchanged since its event {@code seqNr}, the one the sweep saw in the read model. A job that
   * moved on since (a dead letter redriven, even if it finished again) is kept and answers
   * {@code invalid_transition}.
   */
  public record Expire(long seqNr, ActorRef<JobReply> replyTo) implements Request {}

  /** From the deadline sweep: the job's deadline comes soon, or passed while it was not in memory. Not answered. */
  public enum Wake implements Command {
    INSTANCE
  }

  /** From the shard when the job leaves memory (passivation, rebalance): handled after any write in flight. */
  public enum Stop implements Command {
    INSTANCE
  }

  /** To itself after recovering a RUNNING job: count the lease {@code leaseId} afresh from now. */
  private record RenewLease(String leaseId) implements Command {}

  /** Timer: the earliest deadline of {@code attempt} may have passed. */
  private record DeadlineReached(int attempt) implements Command {}

  /** Timer: a finished job has been idle long enough to leave memory. */
  private enum Idle implements Command {
    INSTANCE
  }

  private final String jobId;
  private final boolean fresh;
  private final JobEntitySettings settings;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  /** Who hears if the current attempt is cancelled; in memory only (an actor reference is no part of history). */
  private ActorRef<AttemptCancelled> cancelListener;

  private JobEntity(String jobId, boolean fresh, JobEntitySettings settings, ActorContext<Command> context, TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    super(persistenceId(jobId));
    this.jobId = jobId;
    this.fresh = fresh;
    this.settings = settings;
    this.context = context;
    this.timers = timers;
    this.shard = shard;
  }

  /** Starts sharding of job entities on this node. */
  public static void init(ActorSystem<?> system, JobEntitySettings settings) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, entityContext -> create(entityContext.getEntityId(), settings, entityContext.getShard()))
        .withStopMessage(Stop.INSTANCE));
  }

  /**
   * The entity is chosen by its first message: a {@link Submit} of a freshly drawn id starts
   * without recovery (a brand-new job has no events, and reading the journal for each new job was
   * two database round trips); anything else recovers the job from the journal.
   *
   * @param shard the shard to ask for passivation, or null outside sharding (tests)
   */
  public static Behavior<Command> create(String jobId, JobEntitySettings settings, ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.withStash(1, stash -> Behaviors.receive(Command.class).onAnyMessage(first -> {
      stash.stash(first);
      boolean fresh = first instanceof Submit submit && submit.fresh();
      return stash.unstashAll(fresh ? behavior(jobId, true, settings, shard) : recovering(jobId, settings, shard));
    }).build());
  }

  /** The entity of a job that may have events: it recovers from the journal before its first command. */
  public static Behavior<Command> recovering(String jobId, JobEntitySettings settings, ActorRef<ClusterSharding.ShardCommand> shard) {
    return behavior(jobId, false, settings, shard);
  }

  private static Behavior<Command> behavior(String jobId, boolean fresh, JobEntitySettings settings, ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new JobEntity(jobId, fresh, settings, context, timers, shard)));
  }

  /** The persistence id of the job {@code jobId}'s events and snapshots. */
  public static PersistenceId persistenceId(String jobId) {
    return PersistenceId.of(TYPE_KEY.name(), jobId);
  }

  public static String tagFor(String jobId) {
    return "job-" + Math.floorMod(jobId.hashCode(), TAG_SLICES);
  }

  @Override
  public JobState emptyState() {
    return JobState.NoJob.INSTANCE;
  }

  @Override
  public Recovery recovery() {
    return fresh ? Recovery.disabled() : super.recovery();
  }

  @Override
  public String journalPluginId() {
    // The fresh journal knows without asking the database that a new job has no events yet.
    return fresh ? settings.freshJournalPluginId() : super.journalPluginId();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Heartbeats of long attempts add events; snapshots keep recovery short.
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public Set<String> tagsFor(JobEvent event) {
    return Set.of(tagFor(jobId));
  }

  @Override
  public SignalHandler<JobState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::recovered).build();
  }

  @Override
  public EventHandler<JobState, JobEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(JobState::after);
  }

  /**
   * One handler for every state and command, dispatched by type: a job entity lives for one job, so
   * the handler is built for every job, and Pekko's builder cost a list of cases per entity.
   */
  @Override
  public CommandHandlerWithReply<Command, JobEvent, JobState> commandHandler() {
    return this::onCommand;
  }

  private ReplyEffect<JobEvent, JobState> onCommand(JobState state, Command command) {
    if (command instanceof Wake) {
      return Effect().none().thenRun(this::settle).thenNoReply();
    } else if (command instanceof Idle) {
      return idle(state);
    } else if (command instanceof Stop) {
      return Effect().stop().thenNoReply();
    } else if (state instanceof JobState.Job job) {
      return onJobCommand(job, command);
    } else if (command instanceof Submit submit) {
      return submitNew(submit);
    } else if (command instanceof Request request) {
      return notFound(request.replyTo());
    }
    return Effect().noReply(); // a timer or renewal of a job that was deleted meanwhile
  }

  private ReplyEffect<JobEvent, JobState> onJobCommand(JobState.Job job, Command command) {
    if (command instanceof Submit cmd) {
      return submitExisting(job, cmd);
    } else if (command instanceof Get cmd) {
      return get(job, cmd);
    } else if (command instanceof Cancel cmd) {
      return cancel(job, cmd);
    } else if (command instanceof Retry cmd) {
      return job instanceof JobState.Finished finished ? retry(finished, cmd)
          : visibleOr(job, cmd.tenant(), cmd.replyTo(), () -> invalidTransition(job, JobStatus.PENDING, cmd.replyTo()));
    } else if (command instanceof Delete cmd) {
      return job instanceof JobState.Finished finished ? delete(finished, cmd) : visibleOr(job, cmd.tenant(), cmd.replyTo(),
          () -> Effect().reply(cmd.replyTo(), new JobReply.Rejected(ErrorCode.INVALID_TRANSITION,
              "only COMPLETED, FAILED, CANCELLED or EXPIRED jobs can be deleted", job.status(), null)));
    } else if (command instanceof Expire cmd) {
      return expire(job, cmd);
    } else if (command instanceof Lease cmd) {
      return job instanceof JobState.Pending pending ? lease(pending, cmd)
          : job instanceof JobState.Running running ? leaseAgain(running, cmd) : invalidTransition(job, JobStatus.RUNNING, cmd.replyTo());
    } else if (command instanceof LeaseReport cmd) {
      return visibleOr(job, cmd.tenant(), cmd.replyTo(),
          () -> job instanceof JobState.Running running ? report(running, cmd) : invalidTransition(job, reportTarget(job, cmd), cmd.replyTo()));
    } else if (command instanceof WorkerNodeLost cmd) {
      return job instanceof JobState.Running running ? workerNodeLost(running, cmd) : invalidTransition(job, JobStatus.RETRYING, cmd.replyTo());
    } else if (command instanceof DeadlineReached cmd) {
      return deadlineReached(job, cmd);
    } else if (command instanceof RenewLease cmd && job instanceof JobState.Running running) {
      return renewLease(running, cmd);
    }
    return Effect().noReply(); // a renewal of an attempt that has ended
  }

  /** A worker's report, counted only while it names the current lease. */
  private ReplyEffect<JobEvent, JobState> report(JobState.Running job, LeaseReport cmd) {
    if (!job.lease().isHeldBy(cmd.leaseId())) {
      return Effect().reply(cmd.replyTo(), new JobReply.Rejected(ErrorCode.STALE_LEASE,
          "the lease is no longer current: the job was leased again (attempt " + job.lease().attempt() + ")", job.status(),
          reportTarget(job, cmd)));
    }
    if (cmd instanceof Heartbeat heartbeat) {
      return heartbeat(job, heartbeat);
    } else if (cmd instanceof Complete complete) {
      return complete(job, complete);
    } else if (cmd instanceof Fail fail) {
      return fail(job, fail);
    } else if (cmd instanceof HandBack handBack) {
      return handBack(job, handBack);
    }
    return workerLost(job, (WorkerLost) cmd);
  }

  /** The status a worker's report asks for, named in a refusal. */
  private static JobStatus reportTarget(JobState.Job job, LeaseReport cmd) {
    if (cmd instanceof Heartbeat) {
      return JobStatus.RUNNING;
    } else if (cmd instanceof Complete) {
      return JobStatus.COMPLETED;
    } else if (cmd instanceof Fail fail) {
      return fail.retryable() && job.common().hasAttemptsLeft() ? JobStatus.RETRYING : JobStatus.FAILED;
    } else if (cmd instanceof HandBack) {
      return JobStatus.PENDING;
    }
    return JobStatus.RETRYING;
  }

  private ReplyEffect<JobEvent, JobState> submitNew(Submit cmd) {
    Instant now = now();
    JobSpec spec = cmd.spec();
    JobStatus initial = spec.initialStatus(now);
    Instant deadline = initial == JobStatus.SCHEDULED ? JobState.Scheduled.deadline(spec) : JobState.Pending.deadline(spec);
    return persist(new JobEvent.Submitted(jobId, cmd.tenant(), spec, initial, deadline, now))
        .thenReply(cmd.replyTo(), state -> new JobReply.Accepted(((JobState.Job) state).view(), true));
  }

  private ReplyEffect<JobEvent, JobState> submitExisting(JobState.Job job, Submit cmd) {
    if (!job.tenant().equals(cmd.tenant()) || !Objects.equals(job.spec().fingerprint(), cmd.spec().fingerprint())) {
      return Effect().reply(cmd.replyTo(), JobReply.Rejected.of(ErrorCode.IDEMPOTENCY_CONFLICT,
          "a different job was already submitted with this idempotency key"));
    }
    return Effect().reply(cmd.replyTo(), JobReply.Accepted.of(job.view()));
  }

  private ReplyEffect<JobEvent, JobState> get(JobState.Job job, Get cmd) {
    return visibleOr(job, cmd.tenant(), cmd.replyTo(), () -> Effect().reply(cmd.replyTo(), JobReply.Accepted.of(job.view())));
  }

  private ReplyEffect<JobEvent, JobState> lease(JobState.Pending job, Lease cmd) {
    Instant now = now();
    if (job.common().isExpiredAt(now)) {
      return persistAndReply(new JobEvent.Expired(jobId, job.status(), job.attempts(), now),
          state -> JobReply.Rejected.invalidTransition(JobStatus.EXPIRED, JobStatus.RUNNING), cmd.replyTo());
    }
    Instant leaseExpiresAt = now.plusSeconds(job.spec().timeoutSeconds());
    cancelListener = cmd.cancelListener();
    return persistAndView(new JobEvent.Leased(jobId, job.attempts() + 1, cmd.leaseId(), cmd.workerId(), cmd.node(), leaseExpiresAt,
        job.since(), now), cmd.replyTo());
  }

  private ReplyEffect<JobEvent, JobState> leaseAgain(JobState.Running job, Lease cmd) {
    // A repeat is idempotent only for the worker the lease names: answering another worker would let
    // it run an attempt that the lease, its cancellation and lost-node reconciliation attribute elsewhere.
    if (job.lease().isHeldBy(cmd.leaseId()) && Objects.equals(job.lease().workerId(), cmd.workerId())) {
      return Effect().reply(cmd.replyTo(), JobReply.Accepted.of(job.view()));
    }
    return invalidTransition(job, JobStatus.RUNNING, cmd.replyTo());
  }

  private ReplyEffect<JobEvent, JobState> heartbeat(JobState.Running job, Heartbeat cmd) {
    Instant now = now();
    AttemptLease lease = job.lease();
    return persistAndView(new JobEvent.HeartbeatRecorded(jobId, lease.attempt(), lease.leaseId(), truncate(cmd.progress()),
        now.plusSeconds(job.spec().timeoutSeconds()), now), cmd.replyTo());
  }

  private ReplyEffect<JobEvent, JobState> complete(JobState.Running job, Complete cmd) {
    AttemptLease lease = job.lease();
    return persistAndView(new JobEvent.Completed(jobId, lease.attempt(), lease.leaseId(), lease.workerId(), lease.node(), cmd.result(),
        lease.startedAt(), now()), cmd.replyTo());
  }

  private ReplyEffect<JobEvent, JobState> fail(JobState.Running job, Fail cmd) {
    return persistAndView(attemptFailed(job, FailureCause.HANDLER_ERROR, truncate(cmd.error()), cmd.retryable(), cmd.notBefore()),
        cmd.replyTo());
  }

  private ReplyEffect<JobEvent, JobState> workerLost(JobState.Running job, WorkerLost cmd) {
    return persistAndView(attemptFailed(job, FailureCause.WORKER_LOST, "worker " + job.lease().workerId() + " was lost", true), cmd.replyTo());
  }

  private ReplyEffect<JobEvent, JobState> workerNodeLost(JobState.Running job, WorkerNodeLost cmd) {
    if (!cmd.node().equals(job.lease().node())) {
      return Effect().reply(cmd.replyTo(), new JobReply.Rejected(ErrorCode.STALE_LEASE,
          "the current attempt is not held on node " + cmd.node(), job.status(), JobStatus.RETRYING));
    }
    return workerLost(job, new WorkerLost(job.lease().leaseId(), cmd.replyTo()));
  }

  private ReplyEffect<JobEvent, JobState> handBack(JobState.Running job, HandBack cmd) {
    AttemptLease lease = job.lease();
    return persistAndView(new JobEvent.HandedBack(jobId, lease.attempt(), lease.leaseId(), lease.workerId(), lease.node(),
        JobState.Pending.deadline(job.spec()), now()), cmd.replyTo());
  }

  private ReplyEffect<JobEvent, JobState> cancel(JobState.Job job, Cancel cmd) {
    return visibleOr(job, cmd.tenant(), cmd.replyTo(), () -> {
      if (!JobTransitions.isAllowed(job.status(), JobStatus.CANCELLED)) {
        return invalidTransition(job, JobStatus.CANCELLED, cmd.replyTo());
      }
      ActorRef<AttemptCancelled> listener = job instanceof JobState.Running ? cancelListener : null;
      AttemptCancelled notice = job instanceof JobState.Running running ? new AttemptCancelled(jobId, running.lease().leaseId()) : null;
      return persist(new JobEvent.Cancelled(jobId, job.status(), job.attempts(), truncate(cmd.reason()), now()))
          .thenRun(state -> {
            if (listener != null) {
              listener.tell(notice);
            }
          })
          .thenReply(cmd.replyTo(), state -> JobReply.Accepted.of(((JobState.Job) state).view()));
    });
  }

  private ReplyEffect<JobEvent, JobState> retry(JobState.Finished job, Retry cmd) {
    return visibleOr(job, cmd.tenant(), cmd.replyTo(), () -> {
      if (job.status() != JobStatus.FAILED) {
        return invalidTransition(job, JobStatus.PENDING, cmd.replyTo());
      }
      int maxAttempts = job.attempts() + job.spec().maxAttempts();
      return persistAndView(new JobEvent.Redriven(jobId, job.attempts(), maxAttempts, JobState.Pending.deadline(job.spec()), now()),
          cmd.replyTo());
    });
  }

  private ReplyEffect<JobEvent, JobState> delete(JobState.Finished job, Delete cmd) {
    return visibleOr(job, cmd.tenant(), cmd.replyTo(), () -> persist(new JobEvent.Deleted(jobId, job.status(), job.attempts(), now()))
        .thenReply(cmd.replyTo(), state -> JobReply.Accepted.of(job.view())));
  }

  private ReplyEffect<JobEvent, JobState> expire(JobState.Job job, Expire cmd) {
    long current = lastSequenceNumber(context);
    if (!(job instanceof JobState.Finished) || current != cmd.seqNr()) {
      return Effect().reply(cmd.replyTo(), new JobReply.Rejected(ErrorCode.INVALID_TRANSITION,
          "the job changed since event " + cmd.seqNr() + " (now at " + current + "); it is kept", job.status(), null));
    }
    return delete((JobState.Finished) job, new Delete(null, cmd.replyTo()));
  }

  /**
   * After recovery. A RUNNING job's lease is renewed from now (asked of itself, so it is persisted
   * before the deadline timer, armed here with the old deadline, is handled): while this entity was
   * not running, its worker's heartbeats had nowhere to go.
   */
  private void recovered(JobState state) {
    if (state instanceof JobState.Running running) {
      context.getSelf().tell(new RenewLease(running.lease().leaseId()));
    }
    settle(state);
  }

  private ReplyEffect<JobEvent, JobState> renewLease(JobState.Running job, RenewLease cmd) {
    AttemptLease lease = job.lease();
    if (!lease.isHeldBy(cmd.leaseId())) {
      return Effect().noReply(); // the attempt ended before this was handled
    }
    Instant now = now();
    Instant renewed = now.plusSeconds(job.spec().timeoutSeconds());
    if (!renewed.isAfter(lease.expiresAt())) {
      return Effect().noReply();
    }
    return persist(new JobEvent.LeaseRenewed(jobId, lease.attempt(), lease.leaseId(), lease.workerId(), lease.node(), renewed, now))
        .thenNoReply();
  }

  /** Applies whatever deadline has passed; a timer of an earlier attempt does nothing. */
  private ReplyEffect<JobEvent, JobState> deadlineReached(JobState.Job job, DeadlineReached cmd) {
    if (cmd.attempt() != job.currentAttempt()) {
      return Effect().noReply();
    }
    JobEvent due = dueEvent(job, now());
    if (due == null) {
      // The clock has not reached the deadline yet (timer and clock disagree slightly): wait again.
      settle(job);
      return Effect().noReply();
    }
    return persist(due).thenNoReply();
  }

  private JobEvent dueEvent(JobState.Job job, Instant now) {
    if (job instanceof JobState.Running running) {
      return now.isBefore(running.lease().expiresAt()) ? null : attemptFailed(running, FailureCause.LEASE_EXPIRED,
          "lease expired after " + job.spec().timeoutSeconds() + "s without heartbeat or result", true);
    }
    if (job instanceof JobState.Finished) {
      return null;
    }
    if (job.common().isExpiredAt(now)) {
      return new JobEvent.Expired(jobId, job.status(), job.attempts(), now);
    }
    Instant readyAt = job instanceof JobState.Scheduled ? job.spec().runAt() : job instanceof JobState.Retrying r ? r.retryAt() : null;
    return readyAt == null || now.isBefore(readyAt) ? null
        : new JobEvent.MadePending(jobId, job.status(), job.attempts(), JobState.Pending.deadline(job.spec()), now);
  }

  /**
   * The event that ends a running attempt without a result. Worker losses are not charged as
   * attempts but counted apart: too many of them quarantine the job as FAILED.
   */
  private JobEvent.AttemptFailed attemptFailed(JobState.Running job, FailureCause cause, String error, boolean retryable) {
    return attemptFailed(job, cause, error, retryable, null);
  }

  /** @param notBefore the earliest the retry may start, when later than the backoff; null for none */
  private JobEvent.AttemptFailed attemptFailed(JobState.Running job, FailureCause cause, String error, boolean retryable, Instant notBefore) {
    Instant now = now();
    AttemptLease lease = job.lease();
    JobCommon common = job.common();
    boolean workerLost = cause == FailureCause.WORKER_LOST;
    boolean retry;
    String reason = error;
    if (workerLost) {
      retry = common.workerLosses() + 1 < settings.maxWorkerLosses();
      if (!retry) {
        reason = "quarantined: its worker was lost " + (common.workerLosses() + 1) + " times; last: " + error;
      }
    } else {
      retry = retryable && common.hasAttemptsLeft();
    }
    int charged = workerLost ? lease.attempt() - 1 : lease.attempt();
    JobStatus to = retry ? JobStatus.RETRYING : JobStatus.FAILED;
    Instant retryAt = null;
    Instant deadline = null;
    if (retry) {
      // A lost worker says nothing about the job: run it again at once, elsewhere.
      retryAt = workerLost ? now : now.plus(job.spec().backoff().delayAfter(lease.attempt(), settings.jitter().getAsDouble()));
      if (notBefore != null && notBefore.isAfter(retryAt)) {
        retryAt = notBefore;
      }
      deadline = JobState.Retrying.deadline(retryAt, job.spec());
    }
    return new JobEvent.AttemptFailed(jobId, lease.attempt(), lease.leaseId(), lease.workerId(), lease.node(), cause, reason, retryable, to,
        charged, retryAt, deadline, lease.startedAt(), now);
  }

  private ReplyEffect<JobEvent, JobState> persistAndView(JobEvent event, ActorRef<JobReply> replyTo) {
    return persistAndReply(event, state -> JobReply.Accepted.of(((JobState.Job) state).view()), replyTo);
  }

  private ReplyEffect<JobEvent, JobState> persistAndReply(JobEvent event, Function<JobState, JobReply> reply, ActorRef<JobReply> replyTo) {
    return persist(event).thenReply(replyTo, reply::apply);
  }

  /** Persists {@code event}, then settles the new state and tells the observer (never in recovery). */
  private EffectBuilder<JobEvent, JobState> persist(JobEvent event) {
    if (event.from() != null && event.from() != event.to() && !JobTransitions.isAllowed(event.from(), event.to())) {
      throw new IllegalStateException("job " + jobId + " would persist an illegal transition " + event);
    }
    return Effect().persist(event).thenRun(after -> {
      settle(after);
      settings.observer().persisted(after, event);
    });
  }

  private ReplyEffect<JobEvent, JobState> visibleOr(JobState.Job job, String tenant, ActorRef<JobReply> replyTo,
      java.util.function.Supplier<ReplyEffect<JobEvent, JobState>> visible) {
    // Another tenant's job is answered as if it did not exist.
    return tenant == null || Objects.equals(job.tenant(), tenant) ? visible.get() : notFound(replyTo);
  }

  private ReplyEffect<JobEvent, JobState> invalidTransition(JobState.Job job, JobStatus target, ActorRef<JobReply> replyTo) {
    return Effect().reply(replyTo, JobReply.Rejected.invalidTransition(job.status(), target));
  }

  private ReplyEffect<JobEvent, JobState> notFound(ActorRef<JobReply> replyTo) {
    return Effect().none().thenRun(this::afterNotFound)
        .thenReply(replyTo, state -> JobReply.Rejected.of(ErrorCode.NOT_FOUND, "no job " + jobId));
  }

  /**
   * An id without a job (never submitted, or deleted) leaves memory at once: anyone may send
   * commands to made-up ids, and each would otherwise hold an entity for the idle timeout. It wrote
   * nothing (no event, so no snapshot; sharding remembers no entities). Another tenant's job stays.
   */
  private void afterNotFound(JobState state) {
    if (state instanceof JobState.Job) {
      settle(state);
    } else {
      timers.cancel(IDLE_TIMER);
      passivateSelf();
    }
  }

  /**
   * After every event, after recovery and when woken: re-arm the one deadline timer, tell the
   * dispatcher about a ready job, and leave memory when nothing is due soon. A job that waits for
   * a deadline beyond the wake horizon passivates at once (the deadline sweep wakes it in time);
   * a finished job, or an id without a job, leaves after it was idle a while.
   */
  private void settle(JobState state) {
    timers.cancel(DEADLINE_TIMER);
    timers.cancel(IDLE_TIMER);
    if (!(state instanceof JobState.Running)) {
      cancelListener = null;
    }
    if (!(state instanceof JobState.Job job) || job instanceof JobState.Finished) {
      timers.startSingleTimer(IDLE_TIMER, Idle.INSTANCE, settings.finishedIdleTimeout());
      return;
    }
    Instant now = now();
    Instant deadline = job.nextDeadline();
    boolean waiting = job instanceof JobState.Scheduled || job instanceof JobState.Retrying;
    if (waiting && deadline.isAfter(now.plus(settings.wakeHorizon()))) {
      passivateSelf();
      return;
    }
    if (deadline != null) {
      Duration delay = Duration.between(now, deadline);
      timers.startSingleTimer(DEADLINE_TIMER, new DeadlineReached(job.currentAttempt()), delay.isNegative() ? Duration.ZERO : delay);
    }
    if (job instanceof JobState.Pending pending) {
      settings.readyListener().jobReady(job.spec().queue(), job.tenant(), jobId, job.spec().type(), job.spec().priority(), pending.since());
    }
  }

  private ReplyEffect<JobEvent, JobState> idle(JobState state) {
    if (!(state instanceof JobState.Job job) || job instanceof JobState.Finished) {
      passivateSelf();
    }
    return Effect().noReply();
  }

  private void passivateSelf() {
    if (shard != null) {
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
  }

  private static String truncate(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
  }

  private Instant now() {
    return settings.clock().instant();
  }
}
