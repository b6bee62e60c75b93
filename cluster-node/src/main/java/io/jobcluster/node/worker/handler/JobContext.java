package io.jobcluster.node.worker.handler;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What a handler knows about the attempt it runs and what it can do while running. */
public interface JobContext {

  String jobId();

  String queue();

  String type();

  /** The attempt number, starting at 1. */
  int attempt();

  /**
   * The worker running this attempt, as its lease names it: {@code host:port#uid/queue} for a node's
   * pool ({@link io.jobcluster.protocol.WorkerId}), where {@code host:port#uid} is the node's cluster
   * address and incarnation. It names the node: do not send it outside the cluster.
   */
  String workerId();

  /** The job's payload as JSON text; null when the job has none. */
  String payload();

  /** The lease ends this long after the last heartbeat; long work heartbeats well within it. */
  Duration leaseTimeout();

  /**
   * Extends the lease and records {@code progressJson} (JSON text, may be null) as the job's
   * progress. Completes {@code false} when the lease is no longer ours: stop working, the result
   * will be ignored. Completes exceptionally when the answer did not arrive (try again later).
   */
  CompletionStage<Boolean> heartbeat(String progressJson);

  /** True once the job was cancelled or the lease was lost. */
  boolean isCancelled();

  /** Completes when the job is cancelled or the lease is lost; never completes exceptionally. */
  CompletionStage<Void> cancellation();

  /** For blocking calls (files, JDBC, blocking clients); never block the calling thread instead. */
  Executor blockingExecutor();

  /**
   * For timers (delays, periodic heartbeats). Shared by every attempt and owned by the worker pool:
   * handlers schedule short non-blocking tasks, cancel what they no longer need, and never shut it
   * down.
   */
  ScheduledExecutorService scheduler();
}
