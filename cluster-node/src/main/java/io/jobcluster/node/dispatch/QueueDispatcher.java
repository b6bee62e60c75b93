package io.jobcluster.node.dispatch;

import io.jobcluster.node.JobService;
import io.jobcluster.node.NodeIdentity;
import io.jobcluster.node.job.AttemptCancelled;
import io.jobcluster.node.limits.TenantLimits;
import io.jobcluster.node.readmodel.RunningAttempt;
import io.jobcluster.node.worker.Assigned;
import io.jobcluster.node.worker.LeasedAttempt;
import io.jobcluster.protocol.CborSerializable;
import io.jobcluster.protocol.JobId;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.LeaseId;
import io.jobcluster.protocol.WorkerId;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.wire.DispatcherInfo;
import io.jobcluster.protocol.wire.DispatcherPool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The dispatcher of one queue, a sharded entity keyed by the queue name. It holds the queue's
 * PENDING jobs ({@link ReadySet}: fair between tenants, by priority and waiting time within one,
 * at most {@code max-running-jobs} running per tenant), fed directly by job entities and
 * reconciled with the read model, and gives them to worker pools only as far as the pools asked
 * (pull). A job goes to a pool only after its entity persisted the lease. When a pool's node dies,
 * its leases are ended as "worker lost" at once instead of waiting for the lease timeout.
 */
public final class QueueDispatcher extends AbstractBehavior<QueueDispatcher.Command> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "QueueDispatcher");

  public sealed interface Command extends CborSerializable {}

  /** A job of this queue became PENDING. Repeats are harmless. */
  public record JobReady(String jobId, String tenant, String type, int priority, Instant readyAt) implements Command {}

  /**
   * Who asks for work. {@code cancelListener} hears when a job it runs is cancelled and {@code node}
   * names the node it runs on; an external worker has neither (it learns of a cancellation when it
   * heartbeats, and its lease deadline guards it). {@code onlyTenant} (external workers) restricts
   * it to that tenant's jobs; null takes every tenant's. {@code types} are the job types it takes;
   * null or empty takes every type.
   */
  public record Requester(ActorRef<Assigned> pool, ActorRef<AttemptCancelled> cancelListener, String workerId, String node,
      String onlyTenant, Set<String> types) {

    public Requester {
      types = types == null || types.isEmpty() ? null : Set.copyOf(types);
    }

    /** A node's worker pool: it runs every tenant's jobs of {@code types} and hears cancellations. */
    public static Requester workerPool(ActorRef<Assigned> pool, ActorRef<AttemptCancelled> cancelListener, WorkerId workerId,
        Set<String> types) {
      return new Requester(pool, cancelListener, workerId.toString(), workerId.node(), null, types);
    }

    /** One HTTP lease of an external worker, for {@code tenant}'s jobs of {@code types} (null or empty: every type) only. */
    public static Requester externalLease(ActorRef<Assigned> lease, String workerId, String tenant, Set<String> types) {
      return new Requester(lease, null, workerId, null, tenant, types);
    }
  }

  /**
   * A pool's whole state, sent when it starts, after every finished attempt and periodically, so
   * a restarted dispatcher learns everything again. {@code received} counts the assignments the
   * pool got from dispatcher incarnation {@code epoch}; the difference to what was sent is in transit.
   * {@code running} maps the lease id of every attempt the pool runs to its job id.
   */
  public record RequestWork(Requester requester, int freeSlots, String epoch, long received, Map<LeaseId, JobId> running)
      implements Command {

    /** A request that has received nothing and runs nothing: an external lease's only one. */
    public static RequestWork first(Requester requester, int freeSlots) {
      return new RequestWork(requester, freeSlots, "", 0, Map.of());
    }
  }

  /**
   * The pool takes no more work. A draining pool finishes or hands back what it runs itself; with
   * {@code leasesMoveOn} (an external lease window that handed its jobs to an HTTP worker) the
   * dispatcher forgets the pool and its leases, which their lease deadlines guard from then on.
   */
  public record PoolLeaving(ActorRef<Assigned> pool, boolean leasesMoveOn) implements Command {}

  /** What the dispatcher holds right now, for {@code GET /v1/queues/{queue}/dispatcher}. */
  public record GetStatus(ActorRef<DispatcherInfo> replyTo) implements Command {}

  private record LeaseAnswered(ReadyJob job, ActorRef<Assigned> pool, LeaseId leaseId, JobReply reply, Throwable failure) implements Command {}

  private record PoolTerminated(ActorRef<Assigned> pool) implements Command {}

  private record Reconciled(List<ReadyJob> jobs, Throwable failure) implements Command {}

  private record RunningFound(List<RunningAttempt> running, Throwable failure) implements Command {}

  private enum Tick implements Command {
    RECONCILE, DISPATCH
  }

  /**
   * How long the job types of an external lease count as routed after it asked: external workers
   * come and go between long polls, and their types are not unroutable meanwhile.
   */
  static final Duration EXTERNAL_TYPES_MEMORY = Duration.ofSeconds(60);

  /** The most job types a reconciliation skips (each is one parameter of its query). */
  private static final int MAX_SKIPPED_TYPES = 100;

  /** Stands for "every type" among the external lease types remembered. */
  private static final String EVERY_TYPE = "*";

  /** How long a leased job is remembered: longer than the read model trails the entities. */
  static final Duration LEASED_MEMORY = Duration.ofSeconds(30);

  /**
   * Settings shared by all dispatchers of a node.
   *
   * @param leaseTimeout how long a lease waits for the job's entity; shorter than the ask timeout so a
   *     lease to an entity on a lost node does not hold a survivor's slot for long (it is asked again)
   * @param tenantLimits each tenant's {@code maxRunningJobs}, counted per queue
   */
  public record Settings(Duration reconcileInterval, int reconcileLimit, Duration retryDelay, Duration leaseTimeout,
      TenantLimits.Table tenantLimits) {}

  /** What the dispatcher knows of one pool. Mutable, owned by the dispatcher actor. */
  private static final class Pool {
    final ActorRef<Assigned> ref;
    Requester requester;
    int freeSlots;
    long sent;
    long received;
    int asking;
    boolean leaving;
    /** leaseId -> (jobId, number of the assignment that carried it, tenant). */
    final Map<LeaseId, SentLease> leases = new HashMap<>();

    Pool(ActorRef<Assigned> ref) {
      this.ref = ref;
    }

    int demand() {
      return leaving ? 0 : freeSlots - (int) (sent - received) - asking;
    }
  }

  /**
   * {@code tenant} is null for a lease a pool reported that this incarnation did not grant, until the
   * read model names it ({@link #onRunningFound}); until then it does not count as running.
   */
  private record SentLease(JobId jobId, long sequence, String tenant) {}

  /** A lease that got no answer: it may have persisted for {@code pool}, so only that pool may get it. */
  private record Unanswered(ReadyJob job, ActorRef<Assigned> pool) {}

  private final String queue;
  private final JobService jobs;
  private final DispatchReadModel readModel;
  private final Settings settings;
  private final TimerScheduler<Command> timers;
  private final String epoch = UUID.randomUUID().toString();
  private final ReadySet ready;
  private final Map<String, ReadyJob> leasing = new HashMap<>();
  /** By job id: leases asked again, with the same lease id, of the same pool. */
  private final Map<String, Unanswered> unanswered = new HashMap<>();
  private final Map<ActorRef<Assigned>, Pool> pools = new HashMap<>();
  /**
   * Jobs leased lately, by job id, with when (nanos): the read model still shows them PENDING for a
   * second or two, and a reconciliation must not lease them again (each would be a refused lease,
   * and wake an entity that may have left memory).
   */
  private final LinkedHashMap<String, Long> recentlyLeased = new LinkedHashMap<>();
  /** Job types (or {@link #EVERY_TYPE}) that external leases asked for, with when (nanos). */
  private final Map<String, Long> externalTypes = new HashMap<>();

  private QueueDispatcher(ActorContext<Command> context, TimerScheduler<Command> timers, String queue, JobService jobs,
      DispatchReadModel readModel, Settings settings) {
    super(context);
    context.setLoggerName(QueueDispatcher.class);
    this.queue = queue;
    this.jobs = jobs;
    this.readModel = readModel;
    this.settings = settings;
    this.timers = timers;
    this.ready = new ReadySet(tenant -> settings.tenantLimits().of(tenant).maxRunningJobs());
    timers.startTimerWithFixedDelay(Tick.RECONCILE, Tick.RECONCILE, settings.reconcileInterval());
    context.getSelf().tell(Tick.RECONCILE);
  }

  public static void init(ActorSystem<?> system, JobService jobs, DispatchReadModel readModel, Settings settings) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, entityContext -> create(entityContext.getEntityId(), jobs, readModel, settings)));
  }

  public static Behavior<Command> create(String queue, JobService jobs, DispatchReadModel readModel, Settings settings) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new QueueDispatcher(context, timers, queue, jobs, readModel, settings)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(JobReady.class, this::onJobReady)
        .onMessage(RequestWork.class, this::onRequestWork)
        .onMessage(PoolLeaving.class, this::onPoolLeaving)
        .onMessage(LeaseAnswered.class, this::onLeaseAnswered)
        .onMessage(PoolTerminated.class, this::onPoolTerminated)
        .onMessage(Reconciled.class, this::onReconciled)
        .onMessage(RunningFound.class, this::onRunningFound)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessageEquals(Tick.RECONCILE, this::reconcile)
        .onMessageEquals(Tick.DISPATCH, this::dispatch)
        .build();
  }

  private Behavior<Command> onJobReady(JobReady msg) {
    // A notice without a type (from a node of an older version) is left to the reconciliation, which reads the type.
    if (msg.type() != null && !leasing.containsKey(msg.jobId())) {
      ready.add(ReadyJob.of(msg.jobId(), msg.tenant(), msg.type(), msg.priority(), msg.readyAt()));
    }
    return dispatch();
  }

  private Behavior<Command> onRequestWork(RequestWork msg) {
    Requester requester = msg.requester();
    Pool pool = pools.computeIfAbsent(requester.pool(), ref -> {
      getContext().watchWith(ref, new PoolTerminated(ref));
      getContext().getLog().info("worker pool joined queue={} worker={} node={} slots={}", queue, requester.workerId(), requester.node(),
          msg.freeSlots());
      return new Pool(ref);
    });
    pool.requester = requester;
    pool.freeSlots = msg.freeSlots();
    if (requester.cancelListener() == null) {
      long now = System.nanoTime();
      if (requester.types() == null) {
        externalTypes.put(EVERY_TYPE, now);
      } else {
        requester.types().forEach(type -> externalTypes.put(type, now));
      }
    }
    pool.received = epoch.equals(msg.epoch()) ? msg.received() : 0;
    long receivedByPool = pool.received;
    // A lease the pool has received and no longer runs is finished; one it runs is known either way.
    for (var it = pool.leases.entrySet().iterator(); it.hasNext(); ) {
      var lease = it.next();
      if (lease.getValue().sequence() <= receivedByPool && !msg.running().containsKey(lease.getKey())) {
        it.remove();
        ready.released(lease.getValue().tenant());
      }
    }
    msg.running().forEach((leaseId, jobId) -> pool.leases.putIfAbsent(leaseId, new SentLease(jobId, 0, null)));
    return dispatch();
  }

  private Behavior<Command> onPoolLeaving(PoolLeaving msg) {
    Pool pool = pools.get(msg.pool());
    if (pool != null && msg.leasesMoveOn()) {
      pools.remove(msg.pool());
      getContext().unwatch(msg.pool());
      // From here on the lease deadlines guard these attempts, and they no longer count as running.
      pool.leases.values().forEach(lease -> ready.released(lease.tenant()));
      return dispatch();
    } else if (pool != null) {
      pool.leaving = true;
    }
    return this;
  }

  /** Gives ready jobs to pools with demand, the pool with the most demand first, until none can take one. */
  private Behavior<Command> dispatch() {
    retryUnanswered();
    boolean gave = true;
    while (gave && !ready.isEmpty()) {
      gave = false;
      List<Pool> byDemand = pools.values().stream().filter(pool -> pool.demand() > 0)
          .sorted((a, b) -> Integer.compare(b.demand(), a.demand())).toList();
      for (Pool pool : byDemand) {
        ReadyJob job = ready.pollFirst(pool.requester.onlyTenant(), pool.requester.types());
        if (job != null) {
          lease(pool, job);
          gave = true;
          break;
        }
      }
    }
    return this;
  }

  /**
   * Asks again for the leases that got no answer, each of the pool it was asked for. A lease that
   * persisted names that pool's worker and node (cancellation and lost-node reconciliation go by
   * them), so no other pool may run it. When the pool is gone or leaving it never got the job: the
   * lease, if it persisted, is handed back, and the job is offered afresh.
   */
  private void retryUnanswered() {
    for (var it = unanswered.values().iterator(); it.hasNext(); ) {
      Unanswered retry = it.next();
      Pool pool = pools.get(retry.pool());
      if (pool == null || pool.leaving) {
        it.remove();
        jobs.handBack(retry.job().jobId(), retry.job().leaseId().value());
        ready.released(retry.job().tenant());
        ready.add(retry.job().withLeaseId(null));
      } else if (pool.demand() > 0) {
        it.remove();
        lease(pool, retry.job());
      }
    }
  }

  private void lease(Pool pool, ReadyJob job) {
    LeaseId leaseId = job.leaseId() != null ? job.leaseId() : LeaseId.random();
    leasing.put(job.jobId(), job);
    pool.asking++;
    ActorRef<Assigned> poolRef = pool.ref;
    Requester requester = pool.requester;
    var leased = jobs.lease(job.jobId(), leaseId.value(), requester.workerId(), requester.node(), requester.cancelListener(), settings.leaseTimeout());
    getContext().pipeToSelf(leased, (reply, failure) -> new LeaseAnswered(job, poolRef, leaseId, reply, failure));
  }

  private Behavior<Command> onLeaseAnswered(LeaseAnswered msg) {
    leasing.remove(msg.job().jobId());
    Pool pool = pools.get(msg.pool());
    if (pool != null) {
      pool.asking--;
    }
    if (msg.failure() != null) {
      // No answer: the lease may or may not be persisted. Ask again later with the same lease id, for the same pool.
      getContext().getLog().warn("lease got no answer queue={} job={} error={}", queue, msg.job().jobId(), msg.failure().toString());
      unanswered.put(msg.job().jobId(), new Unanswered(msg.job().withLeaseId(msg.leaseId()), msg.pool()));
      timers.startSingleTimer(Tick.DISPATCH, Tick.DISPATCH, settings.retryDelay());
      return this;
    }
    if (msg.reply() instanceof JobReply.Accepted accepted && accepted.job().status() == JobStatus.RUNNING) {
      handOver(pool, accepted.job(), msg.leaseId(), msg.job().tenant());
    } else {
      // A rejection means the job is no longer PENDING (cancelled, expired, leased elsewhere): drop it.
      ready.released(msg.job().tenant());
    }
    return dispatch();
  }

  private void handOver(Pool pool, JobView job, LeaseId leaseId, String tenant) {
    if (pool == null || pool.leaving) {
      // The pool went away while the lease was asked for: the attempt never started.
      jobs.handBack(job.id(), leaseId.value());
      ready.released(tenant);
      return;
    }
    pool.sent++;
    JobId jobId = JobId.of(job.id());
    pool.leases.put(leaseId, new SentLease(jobId, pool.sent, tenant));
    recentlyLeased.remove(job.id());
    recentlyLeased.put(job.id(), System.nanoTime());
    pool.ref.tell(new Assigned(
        new LeasedAttempt(jobId, leaseId, job.attempts(), job.workerId(), job.queue(), job.type(), job.payload(), job.leaseExpiresAt(), tenant), epoch));
  }

  private Behavior<Command> onPoolTerminated(PoolTerminated msg) {
    Pool pool = pools.remove(msg.pool());
    if (pool == null) {
      return this;
    }
    getContext().getLog().info("worker pool gone queue={} worker={} node={} leases={}", queue, pool.requester.workerId(), pool.requester.node(), pool.leases.size());
    // Leases the pool handed back itself are stale by now and the entity ignores them.
    pool.leases.forEach((leaseId, lease) -> {
      jobs.workerLost(lease.jobId().value(), leaseId.value());
      ready.released(lease.tenant());
    });
    return dispatch();
  }

  private Behavior<Command> reconcile() {
    forgetOldLeases();
    getContext().pipeToSelf(readModel.readyJobs(queue, settings.reconcileLimit(), unroutedTypes()), Reconciled::new);
    getContext().pipeToSelf(readModel.runningAttempts(queue, settings.reconcileLimit()), RunningFound::new);
    return this;
  }

  /**
   * Leases held on nodes that are no longer cluster members, whose pool this dispatcher never
   * watched (it started after they were lost, e.g. it ran on the same node): end them now rather
   * than at their lease deadline. Leases that pools reported without this incarnation granting them
   * learn their tenant here, and count against its running limit from now on.
   */
  private Behavior<Command> onRunningFound(RunningFound msg) {
    if (msg.failure() != null) {
      getContext().getLog().warn("reading running jobs failed queue={} error={}", queue, msg.failure().toString());
      return this;
    }
    Set<String> members = new HashSet<>();
    for (Member member : Cluster.get(getContext().getSystem()).state().getMembers()) {
      if (member.status() != MemberStatus.down() && member.status() != MemberStatus.removed()) {
        members.add(NodeIdentity.of(member));
      }
    }
    Map<String, String> tenantByJob = new HashMap<>();
    for (RunningAttempt attempt : msg.running()) {
      tenantByJob.put(attempt.jobId(), attempt.tenant());
      if (attempt.node() != null && !members.contains(attempt.node())) {
        getContext().getLog().info("ending lease held on a lost node queue={} job={} node={}", queue, attempt.jobId(), attempt.node());
        jobs.workerNodeLost(attempt.jobId(), attempt.node());
      }
    }
    countReportedLeases(tenantByJob);
    return this;
  }

  private void countReportedLeases(Map<String, String> tenantByJob) {
    for (Pool pool : pools.values()) {
      pool.leases.replaceAll((leaseId, lease) -> {
        String tenant = lease.tenant() == null ? tenantByJob.get(lease.jobId().value()) : null;
        if (tenant == null) {
          return lease;
        }
        ready.adopted(tenant);
        return new SentLease(lease.jobId(), lease.sequence(), tenant);
      });
    }
  }

  private Behavior<Command> onReconciled(Reconciled msg) {
    if (msg.failure() != null) {
      getContext().getLog().warn("reconciliation with the read model failed queue={} error={}", queue, msg.failure().toString());
      return this;
    }
    List<ReadyJob> added = new ArrayList<>();
    for (ReadyJob job : msg.jobs()) {
      if (!leasing.containsKey(job.jobId()) && !unanswered.containsKey(job.jobId()) && !recentlyLeased.containsKey(job.jobId())
          && !isLeased(job.jobId()) && ready.add(job)) {
        added.add(job);
      }
    }
    if (!added.isEmpty()) {
      getContext().getLog().debug("reconciliation found jobs queue={} count={}", queue, added.size());
      if (msg.jobs().size() >= settings.reconcileLimit()) {
        // A full page with jobs nobody announced (the whole cluster restarted, say): read on soon,
        // at the pace the read model catches up with what is leased, not every reconcile interval.
        timers.startSingleTimer("reconcile-soon", Tick.RECONCILE, settings.retryDelay());
      }
    }
    return dispatch();
  }

  private Behavior<Command> onGetStatus(GetStatus msg) {
    List<DispatcherPool> poolStatus = pools.values().stream()
        .map(pool -> new DispatcherPool(pool.requester.workerId(), pool.requester.node(), pool.freeSlots, pool.leases.size(), pool.leaving,
            pool.requester.types() == null ? null : pool.requester.types().stream().sorted().toList()))
        .toList();
    Set<String> routed = routedTypes();
    int unroutable = 0;
    if (routed != null) {
      for (var waiting : ready.waitingByType().entrySet()) {
        unroutable += routed.contains(waiting.getKey()) ? 0 : waiting.getValue();
      }
    }
    msg.replyTo().tell(new DispatcherInfo(queue, NodeIdentity.self(getContext().getSystem()), ready.size(), leasing.size(), poolStatus,
        routed == null ? null : routed.stream().sorted().toList(), unroutable));
    return this;
  }

  /**
   * The types of ready jobs no pool takes (at most {@value #MAX_SKIPPED_TYPES}): a reconciliation
   * skips them, so that a page full of jobs that only wait does not hide jobs a pool would take.
   * They are read again once a pool takes their type.
   */
  private List<String> unroutedTypes() {
    Set<String> routed = routedTypes();
    if (routed == null) {
      return List.of();
    }
    return ready.waitingByType().keySet().stream().filter(type -> !routed.contains(type)).limit(MAX_SKIPPED_TYPES).toList();
  }

  /**
   * The job types some pool that is not leaving takes, or an external lease asked for within
   * {@link #EXTERNAL_TYPES_MEMORY}; null when one of them takes every type.
   */
  private Set<String> routedTypes() {
    long cutoff = System.nanoTime() - EXTERNAL_TYPES_MEMORY.toNanos();
    externalTypes.values().removeIf(seen -> seen < cutoff);
    if (externalTypes.containsKey(EVERY_TYPE)) {
      return null;
    }
    Set<String> routed = new HashSet<>(externalTypes.keySet());
    for (Pool pool : pools.values()) {
      if (!pool.leaving && pool.requester.types() == null) {
        return null;
      } else if (!pool.leaving) {
        routed.addAll(pool.requester.types());
      }
    }
    return routed;
  }

  private void forgetOldLeases() {
    long cutoff = System.nanoTime() - LEASED_MEMORY.toNanos();
    var oldest = recentlyLeased.entrySet().iterator();
    while (oldest.hasNext() && oldest.next().getValue() < cutoff) {
      oldest.remove();
    }
  }

  private boolean isLeased(String jobId) {
    for (Pool pool : pools.values()) {
      for (SentLease lease : pool.leases.values()) {
        if (lease.jobId().value().equals(jobId)) {
          return true;
        }
      }
    }
    return false;
  }
}
