package io.jobcluster.node.worker;

import com.typesafe.config.Config;
import io.jobcluster.node.JobService;
import io.jobcluster.node.worker.handler.JobHandlers;
import io.jobcluster.protocol.WorkerId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * This node's worker pools, one per configured queue, and their drain on shutdown: in the phase
 * before sharding hands its shards away, every pool stops taking work, finishes what it can within
 * the grace period and hands back the rest (at once, with no grace, when the cluster downed this node).
 */
public final class WorkerPools {
  private final ActorSystem<?> system;
  private final List<ActorRef<WorkerPool.Command>> pools;
  private final Settings settings;
  /** The drain with the configured grace, started once: by POST /drain (a preStop hook) or by shutdown. */
  private final AtomicReference<CompletableFuture<Done>> drain = new AtomicReference<>();

  /** {@code jobcluster.worker}: see application.conf. */
  public record Settings(Duration requestInterval, Duration drainGrace, Duration drainMargin, int reportTries) {
    public static Settings from(Config worker) {
      return new Settings(worker.getDuration("request-interval"), worker.getDuration("drain-grace"), worker.getDuration("drain-margin"),
          worker.getInt("report-tries"));
    }

    /** How long the node's shutdown phase for the drain lasts: it outlasts the pools' drain by a margin. */
    public Duration drainPhase() {
      return drainGrace.plus(drainMargin.multipliedBy(2));
    }
  }

  private WorkerPools(ActorSystem<?> system, List<ActorRef<WorkerPool.Command>> pools, Settings settings) {
    this.system = system;
    this.pools = pools;
    this.settings = settings;
  }

  /**
   * @param queues the pools, from {@link WorkerQueues#parse}; a pool without types takes every type {@code handlers} run
   * @param node this node's cluster address, part of every worker id
   * @throws IllegalArgumentException when a pool names a job type no handler runs
   */
  public static WorkerPools start(ActorSystem<?> system, JobService jobs, JobHandlers handlers, List<WorkerQueues.WorkerQueue> queues,
      String node, Settings settings) {
    List<List<String>> types = queues.stream().map(queue -> typesOf(queue, handlers)).toList();
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "jobcluster-handler-timers");
      thread.setDaemon(true);
      return thread;
    });
    system.getWhenTerminated().thenRun(scheduler::shutdownNow);
    List<ActorRef<WorkerPool.Command>> pools = new ArrayList<>();
    for (int i = 0; i < queues.size(); i++) {
      WorkerQueues.WorkerQueue queue = queues.get(i);
      var pool = new WorkerPool.Settings(new WorkerId(node, queue.queue()), queue.concurrency(), settings.requestInterval(),
          settings.reportTries(), types.get(i));
      pools.add(system.systemActorOf(WorkerPool.create(pool, jobs, handlers, blocking, scheduler, Clock.systemUTC()),
          "worker-pool-" + queue.queue(), Props.empty()));
    }
    WorkerPools started = new WorkerPools(system, List.copyOf(pools), settings);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "drain-worker-pools", started::drainOnShutdown);
    return started;
  }

  /**
   * The types the pool names, each of which must have a handler (a job of a type without one would
   * be taken only to fail), or else every type a handler runs. That includes types an operator
   * disabled: their jobs, submitted before the switch, fail with the reason rather than wait forever.
   */
  static List<String> typesOf(WorkerQueues.WorkerQueue queue, JobHandlers handlers) {
    if (queue.types().isEmpty() && handlers.types().isEmpty()) {
      // A pool of no types would be read as a pool of every type.
      throw new IllegalArgumentException("worker queue '" + queue.queue() + "' would take every job type, but no job handler is registered");
    }
    if (queue.types().isEmpty()) {
      return List.copyOf(handlers.types());
    }
    for (String type : queue.types()) {
      if (handlers.forType(type).isEmpty()) {
        throw new IllegalArgumentException("worker queue '" + queue.queue() + "' names job type '" + type
            + "', but no handler on this node runs it (handlers: " + String.join(", ", handlers.types()) + ")");
      }
    }
    return queue.types();
  }

  /**
   * The shutdown phase's drain: the one already under way (started by {@link #drain()}) or a new
   * one. A node the cluster downed (a partition's minority, or a node declared dead) abandons its
   * attempts at once instead: the majority ends its leases and runs those jobs again within
   * seconds, they must not run here meanwhile, and a downed node must not write to their journals
   * (the majority may host their entities by then), so nothing is handed back.
   */
  CompletableFuture<Done> drainOnShutdown() {
    boolean downed = CoordinatedShutdown.get(system).getShutdownReason()
        .map(reason -> reason.equals(CoordinatedShutdown.clusterDowningReason())).orElse(false);
    return downed ? abandon() : drain();
  }

  /** A downed node's pools stop their attempts and write nothing more ({@link WorkerPool.Abandon}). */
  private CompletableFuture<Done> abandon() {
    return askEveryPool(WorkerPool.Abandon::new, settings.drainMargin());
  }

  /**
   * Drains every pool with the configured grace, once (idempotent: a second call returns the same
   * drain); completes when all have finished or handed back their attempts. The pools take no new
   * work from the first call on.
   */
  public CompletableFuture<Done> drain() {
    CompletableFuture<Done> started = new CompletableFuture<>();
    if (drain.compareAndSet(null, started)) {
      drain(settings.drainGrace()).whenComplete((done, failure) -> {
        if (failure == null) {
          started.complete(done);
        } else {
          started.completeExceptionally(failure);
        }
      });
    }
    return drain.get();
  }

  /** Whether {@link #drain()} was called (or the node is shutting down). */
  public boolean draining() {
    return drain.get() != null;
  }

  /** What each pool is and runs now, for the slot gauges of /metrics; a pool that does not answer within {@code timeout} is left out. */
  public CompletionStage<List<WorkerPool.PoolInfo>> status(Duration timeout) {
    List<CompletableFuture<WorkerPool.PoolInfo>> answers = pools.stream()
        .map(pool -> AskPattern.<WorkerPool.Command, WorkerPool.PoolInfo>ask(pool, WorkerPool.GetStatus::new, timeout, system.scheduler())
            .toCompletableFuture().exceptionally(failure -> null))
        .toList();
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> answers.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList());
  }

  private CompletableFuture<Done> drain(Duration grace) {
    return askEveryPool(replyTo -> new WorkerPool.Drain(grace, replyTo), grace.plus(settings.drainMargin()));
  }

  /** Sends {@code command} to every pool; completes when all answered, or fails with the first that did not within {@code timeout}. */
  private CompletableFuture<Done> askEveryPool(Function<ActorRef<Done>, WorkerPool.Command> command, Duration timeout) {
    CompletableFuture<?>[] answers = pools.stream()
        .map(pool -> AskPattern.<WorkerPool.Command, Done>ask(pool, command::apply, timeout, system.scheduler()).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(answers).thenApply(ignored -> Done.getInstance());
  }

  public List<ActorRef<WorkerPool.Command>> pools() {
    return pools;
  }
}
