package io.jobcluster.node.worker;

import io.jobcluster.node.JobService;
import io.jobcluster.node.worker.handler.JobContext;
import io.jobcluster.protocol.JobReply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** One running attempt as its handler sees it; heartbeats go to the job entity under this lease. */
final class AttemptContext implements JobContext {
  private final LeasedAttempt job;
  private final Duration leaseTimeout;
  private final JobService jobs;
  private final Executor blockingExecutor;
  private final ScheduledExecutorService scheduler;
  private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

  AttemptContext(LeasedAttempt job, Duration leaseTimeout, JobService jobs, Executor blockingExecutor, ScheduledExecutorService scheduler) {
    this.job = job;
    this.leaseTimeout = leaseTimeout;
    this.jobs = jobs;
    this.blockingExecutor = blockingExecutor;
    this.scheduler = scheduler;
  }

  LeasedAttempt job() {
    return job;
  }

  /** Stops the attempt: the job was cancelled, the lease was lost, or the pool hands it back. */
  void cancel() {
    cancelled.complete(null);
  }

  @Override
  public String jobId() {
    return job.jobId().value();
  }

  @Override
  public String workerId() {
    return job.workerId();
  }

  @Override
  public String queue() {
    return job.queue();
  }

  @Override
  public String type() {
    return job.type();
  }

  @Override
  public int attempt() {
    return job.attempt();
  }

  @Override
  public String payload() {
    return job.payload();
  }

  @Override
  public Duration leaseTimeout() {
    return leaseTimeout;
  }

  @Override
  public CompletionStage<Boolean> heartbeat(String progressJson) {
    return jobs.heartbeat(null, job.jobId().value(), job.leaseId().value(), progressJson).thenApply(reply -> {
      if (reply instanceof JobReply.Accepted) {
        return true;
      }
      cancel();
      return false;
    });
  }

  @Override
  public boolean isCancelled() {
    return cancelled.isDone();
  }

  @Override
  public CompletionStage<Void> cancellation() {
    return cancelled.minimalCompletionStage();
  }

  @Override
  public Executor blockingExecutor() {
    return blockingExecutor;
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }
}
