package io.jobcluster.node.worker.handler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * A {@link JobContext} for handler tests: records heartbeats, answers them as told, and is
 * cancelled by the test. Timers run on the scheduler the test owns.
 */
final class TestJobContext implements JobContext {
  static final String WORKER_ID = "127.0.0.1:25520/default";

  private final String type;
  private final String payload;
  private final ScheduledExecutorService scheduler;
  private final CompletableFuture<Void> cancellation = new CompletableFuture<>();
  private final List<String> heartbeats = new CopyOnWriteArrayList<>();
  private int attempt = 1;
  private Duration leaseTimeout = Duration.ofSeconds(30);
  private volatile Function<String, CompletionStage<Boolean>> heartbeatAnswer =
      progress -> CompletableFuture.completedFuture(true);

  TestJobContext(String type, String payload, ScheduledExecutorService scheduler) {
    this.type = type;
    this.payload = payload;
    this.scheduler = scheduler;
  }

  TestJobContext attempt(int attempt) {
    this.attempt = attempt;
    return this;
  }

  TestJobContext leaseTimeout(Duration leaseTimeout) {
    this.leaseTimeout = leaseTimeout;
    return this;
  }

  TestJobContext answerHeartbeats(Function<String, CompletionStage<Boolean>> answer) {
    this.heartbeatAnswer = answer;
    return this;
  }

  void cancel() {
    cancellation.complete(null);
  }

  /** Progress documents of the heartbeats sent so far, in order (null for a heartbeat without). */
  List<String> heartbeats() {
    return new ArrayList<>(heartbeats);
  }

  @Override
  public String jobId() {
    return "job-1";
  }

  @Override
  public String queue() {
    return "default";
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public String workerId() {
    return WORKER_ID;
  }

  @Override
  public String payload() {
    return payload;
  }

  @Override
  public Duration leaseTimeout() {
    return leaseTimeout;
  }

  @Override
  public CompletionStage<Boolean> heartbeat(String progressJson) {
    heartbeats.add(progressJson);
    return heartbeatAnswer.apply(progressJson);
  }

  @Override
  public boolean isCancelled() {
    return cancellation.isDone();
  }

  @Override
  public CompletionStage<Void> cancellation() {
    return cancellation;
  }

  @Override
  public Executor blockingExecutor() {
    return ForkJoinPool.commonPool();
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }
}
