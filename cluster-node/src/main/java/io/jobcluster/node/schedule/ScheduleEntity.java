package io.jobcluster.node.schedule;

import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.CborSerializable;
import io.jobcluster.node.json.NodeJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recurring schedule: a persistent, sharded actor (entity id {@code tenant/scheduleId}) that
 * keeps its next fire time in its state and wakes on a timer to fire.
 *
 * <p><b>A fire is never lost and never doubled.</b> The job of a fire time has an idempotency key
 * derived from the schedule and the fire time, so its job id is known before it is submitted. The
 * entity persists {@link ScheduleEvent.Fired} (the intent) first, then submits, and persists
 * {@link ScheduleEvent.Submitted} once the job store accepted it; until then it submits again
 * (after a failure, and after recovery on whichever node). A repeat lands on the same job.
 *
 * <p><b>Awake after failover.</b> Timers are not persisted and do not survive the node. Schedule
 * sharding remembers its entities, so a shard that starts elsewhere (after a node died or left)
 * starts every schedule it holds; each recovers, re-arms its timer from its persisted next fire
 * time, and a fire time that passed meanwhile is handled by the misfire policy ({@link FirePlan}).
 * Entities never passivate; a deleted or unknown schedule leaves memory (and the remembered set) at once.
 */
public final class ScheduleEntity extends EventSourcedBehaviorWithEnforcedReplies<ScheduleEntity.Command, ScheduleEvent, ScheduleState> {
  private static final Logger log = LoggerFactory.getLogger(ScheduleEntity.class);

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Schedule");

  private static final String FIRE_TIMER = "fire";
  private static final String RETRY_TIMER = "retry";
  private static final String QUEUE_TIMER = "queue";
  /** Longer timer delays are cut to this (the scheduler refuses delays of many months); an early wake-up fires nothing. */
  private static final Duration MAX_TIMER_DELAY = Duration.ofDays(1);

  public sealed interface Command extends CborSerializable {}

  /** A command answered with a {@link ScheduleReply}. */
  public sealed interface Request extends Command {
    ActorRef<ScheduleReply> replyTo();
  }

  /** Create the schedule; the same definition again answers the existing schedule, another one is refused. */
  public record Create(ScheduleDefinition definition, boolean paused, ActorRef<ScheduleReply> replyTo) implements Request {}

  public record Get(ActorRef<ScheduleReply> replyTo) implements Request {}

  /** Replace the definition (the service merged the PATCH); the next fire time is recomputed. */
  public record Change(ScheduleDefinition definition, ActorRef<ScheduleReply> replyTo) implements Request {}

  public record Pause(ActorRef<ScheduleReply> replyTo) implements Request {}

  public record Resume(ActorRef<ScheduleReply> replyTo) implements Request {}

  public record Delete(ActorRef<ScheduleReply> replyTo) implements Request {}

  /** From the shard when the schedule leaves this node (rebalance, shutdown). */
  public enum Stop implements Command {
    INSTANCE
  }

  /** Timer: the next fire time may have come. */
  private enum Tick implements Command {
    INSTANCE
  }

  /** Timer: submit again what is not yet accepted. */
  private enum RetrySubmits implements Command {
    INSTANCE
  }

  /** Timer: look whether the previous run finished, so the queued fire can go. */
  private enum PollQueued implements Command {
    INSTANCE
  }

  /** The job store's answer to the submission of {@code fireTime}'s job; {@code failure} when it did not answer. */
  private record SubmitAnswered(Instant fireTime, String jobId, JobReply reply, Throwable failure) implements Command {}

  /**
   * Whether the previous run is still active: null when the job store did not answer.
   *
   * @param forQueued the look was for the queued fire, not for a due one
   */
  private record PreviousRun(Boolean active, boolean forQueued) implements Command {}

  private final String entityId;
  private final String tenant;
  private final String scheduleId;
  private final ScheduleSettings settings;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  /** Fire times whose submission is on its way, so a retry does not send a second one at the same time. */
  private final Set<Instant> submitting = new HashSet<>();
  /** A look at the previous run is on its way; the fire timer waits for it. */
  private boolean checkingPrevious;
  /** This entity asked its shard to stop it; commands that reach it meanwhile are refused (the shard buffers later ones). */
  private boolean passivating;

  private ScheduleEntity(String entityId, ScheduleSettings settings, ActorContext<Command> context, TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    super(PersistenceId.of(TYPE_KEY.name(), entityId));
    this.entityId = entityId;
    this.tenant = ScheduleIds.tenant(entityId);
    this.scheduleId = ScheduleIds.scheduleId(entityId);
    this.settings = settings;
    this.context = context;
    this.timers = timers;
    this.shard = shard;
  }

  /** Starts schedule sharding on this node: remembered entities (kept in the journal), no passivation. */
  public static void init(ActorSystem<?> system, ScheduleSettings settings) {
    ClusterShardingSettings sharding = ClusterShardingSettings.create(system).withRememberEntities(true)
        .withRememberEntitiesStoreMode(ClusterShardingSettings.rememberEntitiesStoreModeEventSourced());
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, entityContext -> create(entityContext.getEntityId(), settings, entityContext.getShard()))
        .withStopMessage(Stop.INSTANCE).withSettings(sharding));
  }

  /** @param shard the shard to ask for passivation, or null outside sharding (tests) */
  public static Behavior<Command> create(String entityId, ScheduleSettings settings, ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new ScheduleEntity(entityId, settings, context, timers, shard)));
  }

  @Override
  public ScheduleState emptyState() {
    return ScheduleState.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Two events per fire: snapshots keep recovery short for a schedule that fired for years.
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public SignalHandler<ScheduleState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::recovered).build();
  }

  private void recovered(ScheduleState state) {
    if (!ScheduleIds.namesSchedule(entityId)) {
      // A shard's start-up id (JobShards.startAll) stays, idle: remembered once, ever, so a node's
      // later starts find it remembered and write nothing (one that passivated was remembered and
      // forgotten again, two journal writes per shard at every start).
      log.debug("Schedule shard anchor started entityId={}", entityId);
    } else if (state.exists()) {
      log.info("Schedule running tenant={} schedule={} paused={} nextFireAt={}", tenant, scheduleId, state.paused(), state.nextFireAt());
    }
    settle(state);
  }

  @Override
  public EventHandler<ScheduleState, ScheduleEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(ScheduleState::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, ScheduleEvent, ScheduleState> commandHandler() {
    return this::onCommand;
  }

  private ReplyEffect<ScheduleEvent, ScheduleState> onCommand(ScheduleState state, Command command) {
    if (command instanceof Stop) {
      return Effect().stop().thenNoReply();
    } else if (command instanceof Create create && passivating) {
      // Slipped in before the shard heard of the passivation: a schedule created now would stop with this entity.
      return Effect().reply(create.replyTo(), new ScheduleReply.Rejected(ErrorCode.UNAVAILABLE, "schedule " + scheduleId + " is restarting; try again"));
    } else if (command instanceof Create create) {
      return create(state, create);
    } else if (command instanceof Request request && !state.exists()) {
      // Nothing to keep in memory (nor in the remembered entities) for an id without a schedule.
      return Effect().none().thenRun(unknown -> passivate())
          .thenReply(request.replyTo(), unknown -> new ScheduleReply.Rejected(ErrorCode.NOT_FOUND, "no schedule " + scheduleId));
    } else if (command instanceof Get get) {
      return Effect().reply(get.replyTo(), accepted(state, false));
    } else if (command instanceof Change change) {
      return change(state, change);
    } else if (command instanceof Pause pause) {
      return state.paused() ? Effect().reply(pause.replyTo(), accepted(state, false))
          : Effect().persist(new ScheduleEvent.Paused(now())).thenRun(this::settle).thenReply(pause.replyTo(), next -> accepted(next, false));
    } else if (command instanceof Resume resume) {
      return resume(state, resume);
    } else if (command instanceof Delete delete) {
      // Leaves memory and the remembered entities; not on recovery of a deleted schedule, which may be recovering for a new create.
      return Effect().persist(new ScheduleEvent.Deleted(now())).thenRun(this::settle).thenRun(deleted -> passivate())
          .thenReply(delete.replyTo(), deleted -> accepted(state, false));
    } else if (!state.exists()) {
      return Effect().noReply(); // a timer or an answer for a schedule deleted meanwhile
    } else if (command instanceof Tick) {
      return tick(state);
    } else if (command instanceof SubmitAnswered answered) {
      return submitAnswered(state, answered);
    } else if (command instanceof RetrySubmits) {
      return Effect().none().thenRun(this::submitPending).thenNoReply();
    } else if (command instanceof PollQueued) {
      return pollQueued(state);
    }
    return previousRun(state, (PreviousRun) command);
  }

  private ScheduleReply.Accepted accepted(ScheduleState state, boolean created) {
    return new ScheduleReply.Accepted(scheduleId, state, created);
  }

  private ReplyEffect<ScheduleEvent, ScheduleState> create(ScheduleState state, Create cmd) {
    if (state.exists()) {
      return cmd.definition().equals(state.definition()) ? Effect().reply(cmd.replyTo(), accepted(state, false))
          : Effect().reply(cmd.replyTo(), new ScheduleReply.Rejected(ErrorCode.IDEMPOTENCY_CONFLICT,
              "schedule " + scheduleId + " exists with another definition; change it with PATCH or delete it first"));
    }
    Instant now = now();
    Instant next = cmd.definition().timing(now).nextAfter(now).orElse(null);
    log.info("Schedule running tenant={} schedule={} paused={} nextFireAt={}", tenant, scheduleId, cmd.paused(), next);
    return Effect().persist(new ScheduleEvent.Created(cmd.definition(), cmd.paused(), next, now)).thenRun(this::settle)
        .thenReply(cmd.replyTo(), created -> accepted(created, true));
  }

  private ReplyEffect<ScheduleEvent, ScheduleState> change(ScheduleState state, Change cmd) {
    Instant now = now();
    Instant next = cmd.definition().timing(state.createdAt()).nextAfter(now).orElse(null);
    return Effect().persist(new ScheduleEvent.Changed(cmd.definition(), next, now)).thenRun(this::settle)
        .thenReply(cmd.replyTo(), changed -> accepted(changed, false));
  }

  private ReplyEffect<ScheduleEvent, ScheduleState> resume(ScheduleState state, Resume cmd) {
    if (!state.paused()) {
      return Effect().reply(cmd.replyTo(), accepted(state, false));
    }
    Instant now = now();
    Instant next = timing(state).nextAfter(now).orElse(null);
    return Effect().persist(new ScheduleEvent.Resumed(next, now)).thenRun(this::settle).thenReply(cmd.replyTo(), resumed -> accepted(resumed, false));
  }

  private ScheduleTiming timing(ScheduleState state) {
    return state.definition().timing(state.createdAt());
  }

  private ReplyEffect<ScheduleEvent, ScheduleState> tick(ScheduleState state) {
    if (!state.firing() || checkingPrevious) {
      return Effect().noReply();
    }
    FirePlan plan = plan(state);
    if (plan.isEmpty()) {
      return Effect().none().thenRun(this::settle).thenNoReply();
    }
    if (plan.fire().isEmpty() || state.definition().overlap() == OverlapPolicy.ALLOW) {
      return persistPlan(state, plan);
    }
    ScheduleState.Run last = state.lastRun();
    if (last == null || !last.submitted()) {
      return overlapVerdict(state, plan, last != null);
    }
    lookAtPreviousRun(last, false);
    return Effect().noReply();
  }

  private FirePlan plan(ScheduleState state) {
    return FirePlan.at(now(), state.nextFireAt(), timing(state), state.definition().misfire(), settings.misfireThreshold(), settings.fireAllCap());
  }

  /** Fires every fire time of {@code plan} (overlaps allowed). */
  private ReplyEffect<ScheduleEvent, ScheduleState> persistPlan(ScheduleState state, FirePlan plan) {
    Instant now = now();
    if (plan.fire().isEmpty()) {
      settings.observer().misfiresSkipped(plan.skipped());
      return Effect().persist(new ScheduleEvent.Skipped(plan.skipped(), plan.next(), now)).thenRun(this::settle).thenNoReply();
    }
    List<ScheduleEvent> events = new ArrayList<>();
    for (Instant fireTime : plan.fire()) {
      events.add(new ScheduleEvent.Fired(fireTime, jobId(fireTime), plan.next(), events.isEmpty() ? plan.skipped() : 0, now));
    }
    settings.observer().misfiresSkipped(plan.skipped());
    return Effect().persist(events).thenRun(this::settle).thenNoReply();
  }

  /** With overlap {@code skip} or {@code queue_one}: the plan's first fire time fires only if the previous run is not active. */
  private ReplyEffect<ScheduleEvent, ScheduleState> overlapVerdict(ScheduleState state, FirePlan plan, boolean previousActive) {
    Instant now = now();
    Instant first = plan.fire().get(0);
    long rest = plan.fire().size() - 1;
    settings.observer().misfiresSkipped(plan.skipped());
    ScheduleEvent event;
    if (!previousActive) {
      event = new ScheduleEvent.Fired(first, jobId(first), plan.next(), plan.skipped() + rest, now);
      settings.observer().overlapsSkipped(rest);
    } else if (state.definition().overlap() == OverlapPolicy.QUEUE_ONE && state.queued() == null) {
      event = new ScheduleEvent.Queued(first, plan.next(), plan.skipped() + rest, now);
      settings.observer().overlapsSkipped(rest);
    } else {
      event = new ScheduleEvent.Skipped(plan.skipped() + plan.fire().size(), plan.next(), now);
      settings.observer().overlapsSkipped(plan.fire().size());
    }
    return Effect().persist(event).thenRun(this::settle).thenNoReply();
  }

  private void lookAtPreviousRun(ScheduleState.Run last, boolean forQueued) {
    checkingPrevious = true;
    context.pipeToSelf(settings.jobs().get(tenant, last.jobId()), (reply, failure) -> new PreviousRun(failure != null ? null
        : reply instanceof JobReply.Accepted accepted && accepted.job().status().isActive(), forQueued));
  }

  private ReplyEffect<ScheduleEvent, ScheduleState> previousRun(ScheduleState state, PreviousRun answer) {
    checkingPrevious = false;
    if (answer.active() == null) {
      timers.startSingleTimer(answer.forQueued() ? QUEUE_TIMER : FIRE_TIMER, answer.forQueued() ? PollQueued.INSTANCE : Tick.INSTANCE,
          settings.retryDelay());
      return Effect().noReply();
    }
    if (answer.forQueued()) {
      if (state.queued() == null || answer.active()) {
        return Effect().none().thenRun(this::settle).thenNoReply();
      }
      Instant queued = state.queued();
      return Effect().persist(new ScheduleEvent.Fired(queued, jobId(queued), state.nextFireAt(), 0, now())).thenRun(this::settle).thenNoReply();
    }
    if (!state.firing()) {
      return Effect().none().thenRun(this::settle).thenNoReply();
    }
    FirePlan plan = plan(state);
    if (plan.fire().isEmpty()) {
      return plan.isEmpty() ? Effect().none().thenRun(this::settle).thenNoReply() : persistPlan(state, plan);
    }
    return overlapVerdict(state, plan, answer.active());
  }

  private ReplyEffect<ScheduleEvent, ScheduleState> pollQueued(ScheduleState state) {
    if (state.queued() == null || checkingPrevious) {
      return Effect().noReply();
    }
    ScheduleState.Run last = state.lastRun();
    if (last == null) {
      Instant queued = state.queued();
      return Effect().persist(new ScheduleEvent.Fired(queued, jobId(queued), state.nextFireAt(), 0, now())).thenRun(this::settle).thenNoReply();
    }
    if (!last.submitted()) {
      timers.startSingleTimer(QUEUE_TIMER, PollQueued.INSTANCE, settings.overlapPoll());
      return Effect().noReply();
    }
    lookAtPreviousRun(last, true);
    return Effect().noReply();
  }

  private ReplyEffect<ScheduleEvent, ScheduleState> submitAnswered(ScheduleState state, SubmitAnswered answer) {
    submitting.remove(answer.fireTime());
    boolean pending = state.unsubmitted().stream().anyMatch(run -> run.fireTime().equals(answer.fireTime()));
    if (!pending) {
      return Effect().noReply();
    }
    String error = null;
    if (answer.failure() != null) {
      Throwable cause = answer.failure() instanceof CompletionException && answer.failure().getCause() != null
          ? answer.failure().getCause() : answer.failure();
      if (!(cause instanceof IllegalArgumentException)) {
        log.warn("Schedule submission unanswered, trying again tenant={} schedule={} fireTime={} error={}", tenant, scheduleId,
            answer.fireTime(), cause.toString());
        timers.startSingleTimer(RETRY_TIMER, RetrySubmits.INSTANCE, settings.retryDelay());
        return Effect().noReply();
      }
      error = cause.getMessage();
    } else if (answer.reply() instanceof JobReply.Rejected rejected && rejected.error() != ErrorCode.IDEMPOTENCY_CONFLICT) {
      error = rejected.error().code() + ": " + rejected.message();
    }
    if (error != null) {
      log.warn("Schedule fire refused by the job store tenant={} schedule={} fireTime={} error={}", tenant, scheduleId, answer.fireTime(), error);
    } else {
      settings.observer().fired(1);
    }
    return Effect().persist(new ScheduleEvent.Submitted(answer.fireTime(), answer.jobId(), error, now())).thenNoReply();
  }

  /** After every event and after recovery: arm the timers the state needs and submit what is not yet accepted. */
  private void settle(ScheduleState state) {
    if (!state.exists()) {
      timers.cancelAll();
      return;
    }
    if (state.firing() && !checkingPrevious) {
      Duration delay = Duration.between(now(), state.nextFireAt());
      timers.startSingleTimer(FIRE_TIMER, Tick.INSTANCE, delay.isNegative() ? Duration.ZERO : delay.compareTo(MAX_TIMER_DELAY) > 0 ? MAX_TIMER_DELAY : delay);
    } else if (!state.firing()) {
      timers.cancel(FIRE_TIMER);
    }
    if (state.queued() != null && !timers.isTimerActive(QUEUE_TIMER)) {
      timers.startSingleTimer(QUEUE_TIMER, PollQueued.INSTANCE, settings.overlapPoll());
    }
    submitPending(state);
  }

  private void passivate() {
    if (shard != null && !passivating) {
      passivating = true;
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
  }

  private void submitPending(ScheduleState state) {
    for (ScheduleState.Run run : state.unsubmitted()) {
      if (submitting.add(run.fireTime())) {
        JobRequest request = request(state, run.fireTime());
        context.pipeToSelf(settings.jobs().submit(tenant, request),
            (reply, failure) -> new SubmitAnswered(run.fireTime(), run.jobId(), reply, failure));
      }
    }
  }

  /** The job of {@code fireTime}: the template under the fire time's idempotency key. */
  private JobRequest request(ScheduleState state, Instant fireTime) {
    try {
      return NodeJson.mapper().readValue(state.definition().job(), JobRequest.class).withIdempotencyKey(ScheduleIds.idempotencyKey(scheduleId, fireTime));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a stored job template does not read back: " + e.getMessage(), e);
    }
  }

  private String jobId(Instant fireTime) {
    return settings.jobs().jobIdFor(tenant, ScheduleIds.idempotencyKey(scheduleId, fireTime));
  }

  private Instant now() {
    return settings.clock().instant();
  }
}
