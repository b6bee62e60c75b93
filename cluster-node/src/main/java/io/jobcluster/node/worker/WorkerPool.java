package io.jobcluster.node.worker;

import io.jobcluster.node.JobService;
import io.jobcluster.node.dispatch.QueueDispatcher;
import io.jobcluster.node.job.AttemptCancelled;
import io.jobcluster.node.worker.handler.HandlerResult;
import io.jobcluster.node.worker.handler.JobHandlers;
import io.jobcluster.protocol.CborSerializable;
import io.jobcluster.protocol.JobId;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.LeaseId;
import io.jobcluster.protocol.WorkerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The workers of one queue on one node. It asks the queue's dispatcher for as many jobs as it has
 * free slots (pull: the dispatcher never sends more), runs them through a Pekko Streams pipeline
 * ({@code mapAsyncUnordered(concurrency)}) and reports each result to the job entity. A slot is
 * free again when its handler finished, while the result is still being reported; results being
 * reported are bounded by the concurrency too, so a slow database slows the intake instead of
 * piling up work. On {@link Drain} it takes no more work, lets running attempts finish within the
 * grace period and hands the rest back (not charged as attempts). On {@link Abandon} (its node was
 * downed) it stops every attempt at once and writes nothing more.
 */
public final class WorkerPool extends AbstractBehavior<WorkerPool.Command> {

  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "jobcluster-worker-pools");

  /** Not sealed: {@link Assigned} is shared with external lease windows. */
  public interface Command extends CborSerializable {}

  /** What this pool is: for {@code GET /v1/workers} and {@code /v1/queues}. */
  public record GetStatus(ActorRef<PoolInfo> replyTo) implements Command {}

  /** @param types the job types the pool takes, sorted */
  public record PoolInfo(String workerId, String node, String queue, int capacity, int inFlight, boolean draining, List<String> types)
      implements CborSerializable {}

  /** Stop taking work, finish or hand back what runs, then answer. */
  public record Drain(Duration grace, ActorRef<Done> replyTo) implements Command {}

  /**
   * The node was downed (a partition's minority, or declared dead): the majority already ends these
   * leases as worker_lost and runs the jobs again, and may host their entities, so this pool stops
   * its attempts, reports and hands back nothing (no write from a downed node), and replies at once.
   */
  public record Abandon(ActorRef<Done> replyTo) implements Command {}

  private record Finished(LeaseId leaseId, HandlerResult result) implements Command {}

  private record Reported(AttemptContext attempt, HandlerResult result, int tries, JobReply reply, Throwable failure) implements Command {}

  private record RetryReport(AttemptContext attempt, HandlerResult result, int tries) implements Command {}

  private record Cancel(AttemptCancelled notice) implements Command {}

  private record HandedBack(LeaseId leaseId) implements Command {}

  private enum Tick implements Command {
    REQUEST_WORK, DRAIN_DEADLINE
  }

  /**
   * @param requestInterval how often the pool repeats its request (a restarted dispatcher learns of it)
   * @param reportTries how often a result the job's entity did not take is reported before the lease deadline is left to end the attempt
   * @param types the job types the pool takes (the dispatcher gives it no other), sorted
   */
  public record Settings(WorkerId workerId, int concurrency, Duration requestInterval, int reportTries, List<String> types) {
    public Settings {
      types = types.stream().sorted().distinct().toList();
    }

    public String queue() {
      return workerId.queue();
    }
  }

  private final Settings settings;
  private final JobService jobs;
  private final JobHandlers handlers;
  private final Executor blockingExecutor;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final TimerScheduler<Command> timers;
  private final EntityRef<QueueDispatcher.Command> dispatcher;
  private final ActorRef<AttemptCancelled> cancelListener;
  private final BoundedSourceQueue<AttemptContext> intake;
  /** Running attempts by lease id: a hung attempt and the retry of the same job may both be here. */
  private final Map<LeaseId, AttemptContext> running = new LinkedHashMap<>();
  private final Set<LeaseId> reporting = new HashSet<>();
  /** Attempts being handed back on drain: they count as running until the entity answered. */
  private final Set<LeaseId> handingBack = new HashSet<>();
  private String epoch = "";
  private long received;
  /** Set by the first {@link Drain}: no more work is taken. */
  private boolean draining;
  /** Who waits for the drain to end (a drain asked for again, e.g. by SIGTERM after POST /drain, waits too). */
  private final List<ActorRef<Done>> drainedReplyTo = new ArrayList<>();
  private Instant drainDeadline;

  private WorkerPool(ActorContext<Command> context, TimerScheduler<Command> timers, Settings settings, JobService jobs, JobHandlers handlers,
      Executor blockingExecutor, ScheduledExecutorService scheduler, Clock clock) {
    super(context);
    context.setLoggerName(WorkerPool.class);
    this.settings = settings;
    this.jobs = jobs;
    this.handlers = handlers;
    this.blockingExecutor = blockingExecutor;
    this.scheduler = scheduler;
    this.clock = clock;
    this.timers = timers;
    this.dispatcher = ClusterSharding.get(context.getSystem()).entityRefFor(QueueDispatcher.TYPE_KEY, settings.queue());
    ActorRef<Command> self = context.getSelf();
    this.cancelListener = context.spawn(Behaviors.receiveMessage(notice -> {
      self.tell(new Cancel(notice));
      return Behaviors.same();
    }), "cancellations");
    this.intake = Source.<AttemptContext>queue(settings.concurrency())
        .mapAsyncUnordered(settings.concurrency(), this::run)
        .toMat(Sink.foreach(self::tell), Keep.left())
        .run(context.getSystem());
    context.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, self));
    timers.startTimerWithFixedDelay(Tick.REQUEST_WORK, Tick.REQUEST_WORK, settings.requestInterval());
    requestWork();
  }

  public static Behavior<Command> create(Settings settings, JobService jobs, JobHandlers handlers, Executor blockingExecutor,
      ScheduledExecutorService scheduler, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new WorkerPool(context, timers, settings, jobs, handlers, blockingExecutor, scheduler, clock)));
  }

  /** Runs on the stream: the handler's result becomes a message to this actor. */
  private CompletionStage<Finished> run(AttemptContext attempt) {
    return handlers.run(attempt, attempt.job().tenant()).thenApply(result -> new Finished(attempt.job().leaseId(), result));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Assigned.class, this::onAssigned)
        .onMessage(Finished.class, this::onFinished)
        .onMessage(Reported.class, this::onReported)
        .onMessage(RetryReport.class, msg -> report(msg.attempt(), msg.result(), msg.tries()))
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(Drain.class, this::onDrain)
        .onMessage(Abandon.class, this::onAbandon)
        .onMessage(GetStatus.class, msg -> {
          msg.replyTo().tell(new PoolInfo(settings.workerId().toString(), settings.workerId().node(), settings.queue(), settings.concurrency(), running.size(),
              draining, settings.types()));
          return this;
        })
        .onMessage(HandedBack.class, this::onHandedBack)
        .onMessageEquals(Tick.REQUEST_WORK, this::requestWork)
        .onMessageEquals(Tick.DRAIN_DEADLINE, this::handBackRemaining)
        .onSignal(PostStop.class, signal -> {
          try {
            intake.complete();
          } catch (IllegalStateException alreadyDone) {
            // The stream ended first (the actor system is shutting its streams down): nothing to close.
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> onAssigned(Assigned msg) {
    if (!msg.epoch().equals(epoch)) {
      epoch = msg.epoch();
      received = 0;
    }
    received++;
    LeasedAttempt job = msg.job();
    Duration leaseTimeout = Duration.between(clock.instant(), job.leaseExpiresAt());
    AttemptContext attempt = new AttemptContext(job, leaseTimeout.isNegative() ? Duration.ZERO : leaseTimeout, jobs, blockingExecutor, scheduler);
    if (draining) {
      jobs.handBack(job.jobId().value(), job.leaseId().value());
      return this;
    }
    running.put(job.leaseId(), attempt);
    QueueOfferResult offered;
    try {
      offered = intake.offer(attempt);
    } catch (IllegalStateException e) {
      // The stream is gone (the actor system is shutting down): give the job back.
      offered = QueueOfferResult.closed();
    }
    if (offered != QueueOfferResult.enqueued()) {
      // Cannot happen while the dispatcher respects our free slots; give the job back rather than lose it.
      getContext().getLog().error("worker intake refused job={} result={}", job.jobId(), offered);
      running.remove(job.leaseId());
      jobs.handBack(job.jobId().value(), job.leaseId().value());
    }
    return this;
  }

  private Behavior<Command> onFinished(Finished msg) {
    AttemptContext attempt = running.get(msg.leaseId());
    if (attempt == null) {
      return this;
    }
    if (attempt.isCancelled()) {
      // Cancelled, lease lost or handed back: the job has moved on and this result is not wanted.
      if (!reporting.contains(msg.leaseId()) && !handingBack.contains(msg.leaseId())) {
        finish(msg.leaseId());
      }
      return this;
    }
    reporting.add(msg.leaseId());
    report(attempt, msg.result(), 0);
    // The handler's slot is free while its result is reported (one persist away): ask for the next
    // job now, not a round trip to the job store later.
    return draining ? this : requestWork();
  }

  private Behavior<Command> report(AttemptContext attempt, HandlerResult result, int tries) {
    LeasedAttempt job = attempt.job();
    CompletionStage<JobReply> answer = result instanceof HandlerResult.Failure failure
        ? jobs.fail(null, job.jobId().value(), job.leaseId().value(), failure.error(), failure.retryable(), failure.notBefore())
        : jobs.complete(null, job.jobId().value(), job.leaseId().value(), ((HandlerResult.Success) result).resultJson());
    getContext().pipeToSelf(answer, (reply, failure) -> new Reported(attempt, result, tries + 1, reply, failure));
    return this;
  }

  private Behavior<Command> onReported(Reported msg) {
    String jobId = msg.attempt().jobId();
    LeaseId leaseId = msg.attempt().job().leaseId();
    if (msg.failure() != null && msg.tries() < settings.reportTries()) {
      // The entity did not answer (database or node trouble): the lease still protects the job; try again.
      Duration delay = Duration.ofMillis(250L << msg.tries());
      getContext().getLog().warn("result not acknowledged yet job={} attempt={} try={} error={}", jobId, msg.attempt().attempt(), msg.tries(),
          msg.failure().toString());
      timers.startSingleTimer("report-" + leaseId, new RetryReport(msg.attempt(), msg.result(), msg.tries()), delay);
      return this;
    }
    if (msg.reply() instanceof JobReply.Rejected rejected) {
      getContext().getLog().info("result refused job={} attempt={} error={} message={}", jobId, msg.attempt().attempt(), rejected.error().code(),
          rejected.message());
    } else if (msg.failure() != null) {
      getContext().getLog().warn("result given up job={} attempt={}; the lease timeout retries the job", jobId, msg.attempt().attempt());
    }
    finish(leaseId);
    return this;
  }

  private void finish(LeaseId leaseId) {
    boolean reportsFull = running.size() >= 2 * settings.concurrency();
    boolean wasExecuting = running.containsKey(leaseId) && !reporting.contains(leaseId);
    running.remove(leaseId);
    reporting.remove(leaseId);
    if (draining) {
      replyIfDrained();
    } else if (reportsFull || wasExecuting) {
      requestWork();
    }
  }

  /**
   * Slots for new attempts: handlers running stay within the concurrency, and so do the results
   * still being reported to their job entities.
   */
  private int freeSlots() {
    int executing = running.size() - reporting.size();
    return Math.max(0, Math.min(settings.concurrency() - executing, 2 * settings.concurrency() - running.size()));
  }

  private Behavior<Command> onCancel(Cancel msg) {
    AttemptContext attempt = running.get(LeaseId.of(msg.notice().leaseId()));
    if (attempt != null) {
      getContext().getLog().info("attempt cancelled job={} attempt={}", attempt.jobId(), attempt.attempt());
      attempt.cancel();
    }
    return this;
  }

  private Behavior<Command> requestWork() {
    int free = draining ? 0 : freeSlots();
    Map<LeaseId, JobId> leases = new HashMap<>();
    running.forEach((leaseId, attempt) -> leases.put(leaseId, attempt.job().jobId()));
    var requester = QueueDispatcher.Requester.workerPool(getContext().getSelf().narrow(), cancelListener, settings.workerId(),
        Set.copyOf(settings.types()));
    dispatcher.tell(new QueueDispatcher.RequestWork(requester, Math.max(0, free), epoch, received, leases));
    return this;
  }

  /**
   * The first drain stops the intake; a later one (idempotent) waits for the same drain, and ends it
   * sooner when its grace ends sooner (a node downed while draining hands back at once).
   */
  private Behavior<Command> onDrain(Drain msg) {
    drainedReplyTo.add(msg.replyTo());
    if (!draining) {
      draining = true;
      timers.cancel(Tick.REQUEST_WORK);
      dispatcher.tell(new QueueDispatcher.PoolLeaving(getContext().getSelf().narrow(), false));
      getContext().getLog().info("worker pool draining queue={} running={} grace={}", settings.queue(), running.size(), msg.grace());
    }
    Instant deadline = clock.instant().plus(msg.grace());
    if (!replyIfDrained() && (drainDeadline == null || deadline.isBefore(drainDeadline))) {
      drainDeadline = deadline;
      timers.startSingleTimer(Tick.DRAIN_DEADLINE, Tick.DRAIN_DEADLINE, msg.grace());
    }
    return this;
  }

  private Behavior<Command> onAbandon(Abandon msg) {
    if (!draining) {
      draining = true;
      timers.cancel(Tick.REQUEST_WORK);
    }
    getContext().getLog().info("worker pool abandons its attempts (node downed) queue={} running={}", settings.queue(), running.size());
    running.values().forEach(AttemptContext::cancel);
    running.clear();
    reporting.clear();
    handingBack.clear();
    drainedReplyTo.add(msg.replyTo());
    replyIfDrained();
    return this;
  }

  /** Past the grace period: stop what still runs and give it back, without charging an attempt. */
  private Behavior<Command> handBackRemaining() {
    for (AttemptContext attempt : running.values()) {
      LeaseId leaseId = attempt.job().leaseId();
      if (!reporting.contains(leaseId) && handingBack.add(leaseId)) {
        attempt.cancel();
        getContext().pipeToSelf(jobs.handBack(attempt.jobId(), leaseId.value()), (reply, failure) -> new HandedBack(leaseId));
      }
    }
    return this;
  }

  private Behavior<Command> onHandedBack(HandedBack msg) {
    handingBack.remove(msg.leaseId());
    running.remove(msg.leaseId());
    replyIfDrained();
    return this;
  }

  private boolean replyIfDrained() {
    if (draining && running.isEmpty()) {
      getContext().getLog().info("worker pool drained queue={}", settings.queue());
      drainedReplyTo.forEach(replyTo -> replyTo.tell(Done.getInstance()));
      drainedReplyTo.clear();
      timers.cancel(Tick.DRAIN_DEADLINE);
      return true;
    }
    return false;
  }
}
