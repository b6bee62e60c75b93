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
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One job: a persistent, sharded actor that owns the job's state machine. Every change is checked
 * against {@link JobTransitions}, persisted as one {@link JobEvent}, and only then answered. Deadlines
 * (runAt, lease, backoff, expiry) are absolute instants in the state; a single timer is re-armed for
 * the earliest of them after every event and after recovery.
 */
public final class JobEntity extends EventSourcedBehaviorWithEnforcedReplies<JobEntity.Command, JobEvent, JobState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Job");

  /** Events are tagged into this many slices so a projection can read them in parallel. */
  public static final int TAG_SLICES = 4;

  private static final String DEADLINE_TIMER = "deadline";
  private static final String IDLE_TIMER = "idle";
  private static final int MAX_TEXT = 8_192;

  public sealed interface Command extends CborSerializable {}

  /** Create the job; a repeat of the same request answers the existing job. */
  public record Submit(String tenant, JobSpec spec, ActorRef<JobReply> replyTo) implements Command {}

  /** Read the job; {@code tenant} null reads any tenant's job (internal and admin callers). */
  public record Get(String tenant, ActorRef<JobReply> replyTo) implements Command {}

  /**
   * Hand the job to a worker; {@code leaseId} is chosen by the caller so a retried lease is
   * idempotent. {@code cancelTo} (may be null) hears {@link AttemptCancelled} if the job is cancelled
   * while this entity instance runs; a worker also learns it from its next heartbeat.
   */
  public record Lease(String leaseId, String workerId, String node, ActorRef<AttemptCancelled> cancelTo, ActorRef<JobReply> replyTo)
      implements Command {}

  public record Heartbeat(String leaseId, String progress, ActorRef<JobReply> replyTo) implements Command {}

  public record Complete(String leaseId, String result, ActorRef<JobReply> replyTo) implements Command {}

  public record Fail(String leaseId, String error, boolean retryable, ActorRef<JobReply> replyTo) implements Command {}

  /** A draining worker gives the job back unfinished: PENDING again, attempt not charged. */
  public record HandBack(String leaseId, ActorRef<JobReply> replyTo) implements Command {}

  /** The worker's node is gone: the attempt ends without charging it, counted as a worker loss. */
  public record WorkerLost(String leaseId, ActorRef<JobReply> replyTo) implements Command {}

  /**
   * The node {@code node} left the cluster: if the current attempt's lease is held there, end it as
   * a lost worker. Sent by a dispatcher that did not watch that node's pool itself (it restarted).
   */
  public record WorkerNodeLost(String node, ActorRef<JobReply> replyTo) implements Command {}

  public record Cancel(String tenant, String reason, ActorRef<JobReply> replyTo) implements Command {}

  /** Send a FAILED job (a dead letter) back to PENDING with a fresh budget of attempts. */
  public record Retry(String tenant, ActorRef<JobReply> replyTo) implements Command {}

  public record Delete(String tenant, ActorRef<JobReply> replyTo) implements Command {}

  /** To itself after recovering a RUNNING job: count the lease {@code leaseId} afresh from now. */
  private record RenewLease(String leaseId) implements Command {}

  /** Timer: the earliest deadline of {@code attempt} may have passed. */
  private record DeadlineReached(int attempt) implements Command {}

  /** Timer: a finished job has been idle long enough to leave memory. */
  private enum Idle implements Command {
    INSTANCE
  }

  private final String jobId;
  private final JobEntitySettings settings;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  /** Who runs the current attempt, kept in memory only (an actor reference is no part of history). */
  private ActorRef<AttemptCancelled> runningWorker;

  private JobEntity(String jobId, JobEntitySettings settings, ActorContext<Command> context, TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    super(PersistenceId.of(TYPE_KEY.name(), jobId));
    this.jobId = jobId;
    this.settings = settings;
    this.context = context;
    this.timers = timers;
    this.shard = shard;
  }

  /** Starts sharding of job entities on this node. */
  public static void init(ActorSystem<?> system, JobEntitySettings settings) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, entityContext ->
        create(entityContext.getEntityId(), settings, entityContext.getShard())));
  }

  /**
   * @param shard the shard to ask for passivation of finished jobs, or null outside sharding (tests)
   */
  public static Behavior<Command> create(String jobId, JobEntitySettings settings, ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new JobEntity(jobId, settings, context, timers, shard)));
  }

  public static String tagFor(String jobId) {
    return "job-" + Math.floorMod(jobId.hashCode(), TAG_SLICES);
  }

  @Override
  public JobState emptyState() {
    return JobState.NoJob.INSTANCE;
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
    return newEventHandlerBuilder().forAnyState().onAnyEvent(JobState::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, JobEvent, JobState> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, JobEvent, JobState> builder = newCommandHandlerWithReplyBuilder();
    builder.forStateType(JobState.NoJob.class)
        .onCommand(Submit.class, (state, cmd) -> submitNew(cmd))
        .onCommand(Get.class, (state, cmd) -> notFound(cmd.replyTo()))
        .onCommand(Lease.class, (state, cmd) -> notFound(cmd.replyTo()))
        .onCommand(Heartbeat.class, (state, cmd) -> notFound(cmd.replyTo()))
        .onCommand(Complete.class, (state, cmd) -> notFound(cmd.replyTo()))
        .onCommand(Fail.class, (state, cmd) -> notFound(cmd.replyTo()))
        .onCommand(HandBack.class, (state, cmd) -> notFound(cmd.replyTo()))
        .onCommand(WorkerLost.class, (state, cmd) -> notFound(cmd.replyTo()))
        .onCommand(WorkerNodeLost.class, (state, cmd) -> notFound(cmd.replyTo()))
        .onCommand(Cancel.class, (state, cmd) -> notFound(cmd.replyTo()))
        .onCommand(Retry.class, (state, cmd) -> notFound(cmd.replyTo()))
        .onCommand(Delete.class, (state, cmd) -> notFound(cmd.replyTo()))
        .onCommand(DeadlineReached.class, (state, cmd) -> Effect().noReply())
        .onCommand(RenewLease.class, (state, cmd) -> Effect().noReply())
        .onCommand(Idle.class, (state, cmd) -> idle(state));
    builder.forStateType(JobState.Job.class)
        .onCommand(Submit.class, this::submitExisting)
        .onCommand(Get.class, this::get)
        .onCommand(Lease.class, this::lease)
        .onCommand(Heartbeat.class, this::heartbeat)
        .onCommand(Complete.class, this::complete)
        .onCommand(Fail.class, this::fail)
        .onCommand(HandBack.class, this::handBack)
        .onCommand(WorkerLost.class, this::workerLost)
        .onCommand(WorkerNodeLost.class, this::workerNodeLost)
        .onCommand(Cancel.class, this::cancel)
        .onCommand(Retry.class, this::retry)
        .onCommand(Delete.class, this::delete)
        .onCommand(DeadlineReached.class, this::deadlineReached)
        .onCommand(RenewLease.class, this::renewLease)
        .onCommand(Idle.class, (state, cmd) -> idle(state));
    return builder.build();
  }

  private ReplyEffect<JobEvent, JobState> submitNew(Submit cmd) {
    Instant now = now();
    JobStatus initial = cmd.spec().initialStatus(now);
    return persist(JobState.NoJob.INSTANCE, new JobEvent.Submitted(jobId, cmd.tenant(), cmd.spec(), initial, now))
        .thenReply(cmd.replyTo(), state -> new JobReply.Accepted(((JobState.Job) state).view(), true));
  }

  private ReplyEffect<JobEvent, JobState> submitExisting(JobState.Job job, Submit cmd) {
    if (!job.tenant().equals(cmd.tenant()) || !job.spec().fingerprint().equals(cmd.spec().fingerprint())) {
      return Effect().reply(cmd.replyTo(), JobReply.Rejected.of(ErrorCode.IDEMPOTENCY_CONFLICT,
          "a different job was already submitted with this idempotency key"));
    }
    return Effect().reply(cmd.replyTo(), JobReply.Accepted.of(job.view()));
  }

  private ReplyEffect<JobEvent, JobState> get(JobState.Job job, Get cmd) {
    if (!visibleTo(job, cmd.tenant())) {
      return notFound(cmd.replyTo());
    }
    return Effect().reply(cmd.replyTo(), JobReply.Accepted.of(job.view()));
  }

  private ReplyEffect<JobEvent, JobState> lease(JobState.Job job, Lease cmd) {
    // A repeat is idempotent only for the worker the lease names: answering another worker would let
    // it run an attempt that the lease, its cancellation and lost-node reconciliation attribute elsewhere.
    if (job.status() == JobStatus.RUNNING && job.lease().isHeldBy(cmd.leaseId()) && Objects.equals(job.lease().workerId(), cmd.workerId())) {
      return Effect().reply(cmd.replyTo(), JobReply.Accepted.of(job.view()));
    }
    if (job.status() != JobStatus.PENDING) {
      return invalidTransition(job, JobStatus.RUNNING, cmd.replyTo());
    }
    Instant now = now();
    if (job.isExpiredAt(now)) {
      return persistAndReply(job, new JobEvent.Expired(jobId, job.attempts(), job.status(), now),
          state -> JobReply.Rejected.invalidTransition(JobStatus.EXPIRED, JobStatus.RUNNING), cmd.replyTo());
    }
    Instant leaseExpiresAt = now.plusSeconds(job.spec().timeoutSeconds());
    int attempt = job.attempts() + 1;
    runningWorker = cmd.cancelTo();
    return persistAndView(job, new JobEvent.Leased(jobId, attempt, cmd.leaseId(), cmd.workerId(), cmd.node(), leaseExpiresAt, now),
        cmd.replyTo());
  }

  private ReplyEffect<JobEvent, JobState> heartbeat(JobState.Job job, Heartbeat cmd) {
    return withCurrentLease(job, JobStatus.RUNNING, cmd.leaseId(), cmd.replyTo(), lease -> {
      Instant now = now();
      Instant newExpiry = now.plusSeconds(job.spec().timeoutSeconds());
      return persistAndView(job, new JobEvent.HeartbeatRecorded(jobId, lease.attempt(), lease.leaseId(), truncate(cmd.progress()), newExpiry, now),
          cmd.replyTo());
    });
  }

  private ReplyEffect<JobEvent, JobState> complete(JobState.Job job, Complete cmd) {
    return withCurrentLease(job, JobStatus.COMPLETED, cmd.leaseId(), cmd.replyTo(), lease ->
        persistAndView(job, new JobEvent.Completed(jobId, lease.attempt(), lease.leaseId(), lease.workerId(), cmd.result(), now()), cmd.replyTo()));
  }

  private ReplyEffect<JobEvent, JobState> fail(JobState.Job job, Fail cmd) {
    JobStatus target = cmd.retryable() && job.hasAttemptsLeft() ? JobStatus.RETRYING : JobStatus.FAILED;
    return withCurrentLease(job, target, cmd.leaseId(), cmd.replyTo(), lease ->
        persistAndView(job, attemptFailed(job, lease, FailureCause.HANDLER_ERROR, truncate(cmd.error()), cmd.retryable()), cmd.replyTo()));
  }

  private ReplyEffect<JobEvent, JobState> workerLost(JobState.Job job, WorkerLost cmd) {
    return withCurrentLease(job, JobStatus.RETRYING, cmd.leaseId(), cmd.replyTo(), lease ->
        persistAndView(job, attemptFailed(job, lease, FailureCause.WORKER_LOST, "worker " + lease.workerId() + " was lost", true), cmd.replyTo()));
  }

  private ReplyEffect<JobEvent, JobState> workerNodeLost(JobState.Job job, WorkerNodeLost cmd) {
    if (job.status() != JobStatus.RUNNING) {
      return invalidTransition(job, JobStatus.RETRYING, cmd.replyTo());
    }
    if (!cmd.node().equals(job.lease().node())) {
      return Effect().reply(cmd.replyTo(), new JobReply.Rejected(ErrorCode.STALE_LEASE,
          "the current attempt is not held on node " + cmd.node(), job.status(), JobStatus.RETRYING));
    }
    String leaseId = job.lease().leaseId();
    return workerLost(job, new WorkerLost(leaseId, cmd.replyTo()));
  }

  private ReplyEffect<JobEvent, JobState> handBack(JobState.Job job, HandBack cmd) {
    return withCurrentLease(job, JobStatus.PENDING, cmd.leaseId(), cmd.replyTo(), lease ->
        persistAndView(job, new JobEvent.HandedBack(jobId, lease.attempt(), lease.leaseId(), lease.workerId(), now()), cmd.replyTo()));
  }

  private ReplyEffect<JobEvent, JobState> cancel(JobState.Job job, Cancel cmd) {
    if (!visibleTo(job, cmd.tenant())) {
      return notFound(cmd.replyTo());
    }
    if (!JobTransitions.isAllowed(job.status(), JobStatus.CANCELLED)) {
      return invalidTransition(job, JobStatus.CANCELLED, cmd.replyTo());
    }
    ActorRef<AttemptCancelled> worker = job.status() == JobStatus.RUNNING ? runningWorker : null;
    AttemptCancelled notice = worker == null ? null : new AttemptCancelled(jobId, job.lease().leaseId());
    return persist(job, new JobEvent.Cancelled(jobId, job.attempts(), job.status(), truncate(cmd.reason()), now()))
        .thenRun(state -> {
          if (worker != null) {
            worker.tell(notice);
          }
        })
        .thenReply(cmd.replyTo(), state -> JobReply.Accepted.of(((JobState.Job) state).view()));
  }

  private ReplyEffect<JobEvent, JobState> retry(JobState.Job job, Retry cmd) {
    if (!visibleTo(job, cmd.tenant())) {
      return notFound(cmd.replyTo());
    }
    if (job.status() != JobStatus.FAILED) {
      return invalidTransition(job, JobStatus.PENDING, cmd.replyTo());
    }
    int maxAttempts = job.attempts() + job.spec().maxAttempts();
    return persistAndView(job, new JobEvent.Redriven(jobId, job.attempts(), maxAttempts, now()), cmd.replyTo());
  }

  private ReplyEffect<JobEvent, JobState> delete(JobState.Job job, Delete cmd) {
    if (!visibleTo(job, cmd.tenant())) {
      return notFound(cmd.replyTo());
    }
    if (job.status().isActive()) {
      return Effect().reply(cmd.replyTo(), new JobReply.Rejected(ErrorCode.INVALID_TRANSITION,
          "only COMPLETED, FAILED, CANCELLED or EXPIRED jobs can be deleted", job.status(), null));
    }
    JobState.Job deleted = job;
    return persist(job, new JobEvent.Deleted(jobId, job.attempts(), job.status(), now()))
        .thenReply(cmd.replyTo(), state -> JobReply.Accepted.of(deleted.view()));
  }

  /**
   * After recovery. A RUNNING job's lease is renewed from now (asked of itself, so it is persisted
   * before the deadline timer, armed here with the old deadline, is handled): while this entity was
   * not running, its worker's heartbeats had nowhere to go.
   */
  private void recovered(JobState state) {
    if (state instanceof JobState.Job job && job.status() == JobStatus.RUNNING) {
      context.getSelf().tell(new RenewLease(job.lease().leaseId()));
    }
    settle(state);
  }

  private ReplyEffect<JobEvent, JobState> renewLease(JobState.Job job, RenewLease cmd) {
    if (job.status() != JobStatus.RUNNING || !job.lease().isHeldBy(cmd.leaseId())) {
      return Effect().noReply(); // the attempt ended before this was handled
    }
    Instant now = now();
    Instant renewed = now.plusSeconds(job.spec().timeoutSeconds());
    if (!renewed.isAfter(job.lease().expiresAt())) {
      return Effect().noReply();
    }
    return persist(job, new JobEvent.LeaseRenewed(jobId, job.lease().attempt(), cmd.leaseId(), renewed, now)).thenNoReply();
  }

  /** Applies whatever deadline has passed; a timer of an earlier attempt does nothing. */
  private ReplyEffect<JobEvent, JobState> deadlineReached(JobState.Job job, DeadlineReached cmd) {
    Instant now = now();
    if (cmd.attempt() != currentAttempt(job)) {
      return Effect().noReply();
    }
    JobEvent due = dueEvent(job, now);
    if (due == null) {
      // The clock has not reached the deadline yet (timer and clock disagree slightly): wait again.
      armTimers(job);
      return Effect().noReply();
    }
    return persist(job, due).thenNoReply();
  }

  private JobEvent dueEvent(JobState.Job job, Instant now) {
    switch (job.status()) {
      case SCHEDULED:
      case RETRYING:
        if (job.isExpiredAt(now)) {
          return new JobEvent.Expired(jobId, job.attempts(), job.status(), now);
        }
        Instant readyAt = job.status() == JobStatus.SCHEDULED ? job.spec().runAt() : job.retryAt();
        return now.isBefore(readyAt) ? null : new JobEvent.MadePending(jobId, job.attempts(), job.status(), now);
      case PENDING:
        return job.isExpiredAt(now) ? new JobEvent.Expired(jobId, job.attempts(), job.status(), now) : null;
      case RUNNING:
        if (now.isBefore(job.lease().expiresAt())) {
          return null;
        }
        return attemptFailed(job, job.lease(), FailureCause.LEASE_EXPIRED,
            "lease expired after " + job.spec().timeoutSeconds() + "s without heartbeat or result", true);
      default:
        return null;
    }
  }

  /**
   * The event that ends a running attempt without a result. Worker losses are not charged as
   * attempts but counted apart: too many of them quarantine the job as FAILED.
   */
  private JobEvent.AttemptFailed attemptFailed(JobState.Job job, AttemptLease lease, FailureCause cause, String error, boolean retryable) {
    Instant now = now();
    boolean retry;
    String reason = error;
    if (cause == FailureCause.WORKER_LOST) {
      retry = job.workerLosses() + 1 < settings.maxWorkerLosses();
      if (!retry) {
        reason = "quarantined: its worker was lost " + (job.workerLosses() + 1) + " times; last: " + error;
      }
    } else {
      retry = retryable && job.hasAttemptsLeft();
    }
    JobStatus to = retry ? JobStatus.RETRYING : JobStatus.FAILED;
    Instant retryAt = null;
    if (retry) {
      // A lost worker says nothing about the job: run it again at once, elsewhere.
      retryAt = cause == FailureCause.WORKER_LOST ? now
          : now.plus(job.spec().backoff().delayAfter(lease.attempt(), settings.jitter().getAsDouble()));
    }
    return new JobEvent.AttemptFailed(jobId, lease.attempt(), lease.leaseId(), lease.workerId(), cause, reason, retryable, to, retryAt, now);
  }

  private ReplyEffect<JobEvent, JobState> withCurrentLease(JobState.Job job, JobStatus target, String leaseId, ActorRef<JobReply> replyTo,
      Function<AttemptLease, ReplyEffect<JobEvent, JobState>> onCurrent) {
    if (job.status() != JobStatus.RUNNING) {
      return invalidTransition(job, target, replyTo);
    }
    if (!job.lease().isHeldBy(leaseId)) {
      return Effect().reply(replyTo, new JobReply.Rejected(ErrorCode.STALE_LEASE,
          "the lease is no longer current: the job was leased again (attempt " + job.lease().attempt() + ")", job.status(), target));
    }
    return onCurrent.apply(job.lease());
  }

  private ReplyEffect<JobEvent, JobState> persistAndView(JobState.Job before, JobEvent event, ActorRef<JobReply> replyTo) {
    return persistAndReply(before, event, state -> JobReply.Accepted.of(((JobState.Job) state).view()), replyTo);
  }

  private ReplyEffect<JobEvent, JobState> persistAndReply(JobState.Job before, JobEvent event, Function<JobState, JobReply> reply,
      ActorRef<JobReply> replyTo) {
    if (!JobTransitions.isAllowed(event.from(), event.to()) && event.from() != event.to()) {
      throw new IllegalStateException("job " + jobId + " would persist an illegal transition " + event);
    }
    return persist(before, event).thenReply(replyTo, reply::apply);
  }

  /** Persists {@code event}, then settles the new state and tells the observer (never in recovery). */
  private EffectBuilder<JobEvent, JobState> persist(JobState before, JobEvent event) {
    return Effect().persist(event).thenRun(after -> {
      settle(after);
      settings.observer().persisted(before, event);
    });
  }

  private ReplyEffect<JobEvent, JobState> invalidTransition(JobState.Job job, JobStatus target, ActorRef<JobReply> replyTo) {
    return Effect().reply(replyTo, JobReply.Rejected.invalidTransition(job.status(), target));
  }

  private ReplyEffect<JobEvent, JobState> notFound(ActorRef<JobReply> replyTo) {
    // The idle timer takes an id nobody submitted to out of memory (and out of remembered entities).
    return Effect().none().thenRun(this::settle)
        .thenReply(replyTo, state -> JobReply.Rejected.of(ErrorCode.NOT_FOUND, "no job " + jobId));
  }

  /** After every event and after recovery: re-arm timers and tell the dispatcher about a ready job. */
  private void settle(JobState state) {
    armTimers(state);
    if (state instanceof JobState.Job job) {
      if (job.status() != JobStatus.RUNNING) {
        runningWorker = null;
      }
      if (job.status() == JobStatus.PENDING) {
        settings.readyListener().jobReady(job.spec().queue(), job.tenant(), jobId, job.spec().priority(), job.updatedAt());
      }
    }
  }

  /**
   * Re-arms the one deadline timer; a job that waits for no deadline and will not run again (or no
   * job at all) gets the idle timer instead, which takes it out of memory and out of the
   * remembered entities. Active jobs stay remembered so they restart when their node dies.
   */
  private void armTimers(JobState state) {
    timers.cancel(DEADLINE_TIMER);
    timers.cancel(IDLE_TIMER);
    Instant deadline = state instanceof JobState.Job job ? job.nextDeadline() : null;
    if (deadline != null) {
      Duration delay = Duration.between(now(), deadline);
      timers.startSingleTimer(DEADLINE_TIMER, new DeadlineReached(currentAttempt((JobState.Job) state)), delay.isNegative() ? Duration.ZERO : delay);
    } else if (!isActive(state)) {
      timers.startSingleTimer(IDLE_TIMER, Idle.INSTANCE, settings.finishedIdleTimeout());
    }
  }

  private ReplyEffect<JobEvent, JobState> idle(JobState state) {
    if (!isActive(state)) {
      passivateSelf();
    }
    return Effect().noReply();
  }

  private static boolean isActive(JobState state) {
    return state instanceof JobState.Job job && job.status().isActive();
  }

  private void passivateSelf() {
    if (shard != null) {
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
  }

  private static int currentAttempt(JobState.Job job) {
    return job.lease() != null ? job.lease().attempt() : job.attempts();
  }

  private static boolean visibleTo(JobState.Job job, String tenant) {
    return tenant == null || Objects.equals(job.tenant(), tenant);
  }

  private static String truncate(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
  }

  private Instant now() {
    return settings.clock().instant();
  }
}
