package io.jobcluster.node.worker;

import io.jobcluster.node.worker.handler.HandlerResult;
import io.jobcluster.node.worker.handler.JobContext;
import io.jobcluster.node.worker.handler.JobHandler;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Handlers that let tests see from outside what the workers did: how often each job ran, in which
 * order, how many ran at once; and handlers that block until a test lets them go. Registered
 * through META-INF/services in the test resources, found by the node like any user handler.
 */
public final class TestHandlers {
  private TestHandlers() {}

  /** Job id to the number of times a handler started it. */
  public static final Map<String, AtomicInteger> EXECUTIONS = new ConcurrentHashMap<>();
  /** Job ids in the order "record" jobs started. */
  public static final List<String> ORDER = new CopyOnWriteArrayList<>();
  /** Job id to the start of each attempt. */
  public static final Map<String, List<Instant>> STARTS = new ConcurrentHashMap<>();
  /** Gates by job id: a "gate" job runs until its gate completes. */
  public static final Map<String, CompletableFuture<Void>> GATES = new ConcurrentHashMap<>();
  /** Job ids of "gate" and "hang-once" attempts that have started. */
  public static final Map<String, CompletableFuture<JobContext>> STARTED = new ConcurrentHashMap<>();
  public static final AtomicInteger RUNNING_NOW = new AtomicInteger();
  public static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

  public static CompletableFuture<Void> gate(String jobId) {
    return GATES.computeIfAbsent(jobId, id -> new CompletableFuture<>());
  }

  public static CompletableFuture<JobContext> started(String jobId) {
    return STARTED.computeIfAbsent(jobId, id -> new CompletableFuture<>());
  }

  private static void count(JobContext context) {
    EXECUTIONS.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
    STARTS.computeIfAbsent(context.jobId(), id -> new CopyOnWriteArrayList<>()).add(Instant.now());
  }

  /** Counts its executions and succeeds. */
  public static final class Count implements JobHandler {
    @Override
    public String type() {
      return "count";
    }

    @Override
    public CompletionStage<HandlerResult> handle(JobContext context) {
      count(context);
      return CompletableFuture.completedFuture(HandlerResult.success("{\"attempt\":" + context.attempt() + "}"));
    }
  }

  /** Records the order in which jobs start. */
  public static final class Record implements JobHandler {
    @Override
    public String type() {
      return "record";
    }

    @Override
    public CompletionStage<HandlerResult> handle(JobContext context) {
      count(context);
      ORDER.add(context.jobId());
      return CompletableFuture.completedFuture(HandlerResult.success(null));
    }
  }

  /** Runs until the test opens its gate, or until it is cancelled. */
  public static final class Gate implements JobHandler {
    @Override
    public String type() {
      return "gate";
    }

    @Override
    public CompletionStage<HandlerResult> handle(JobContext context) {
      count(context);
      started(context.jobId()).complete(context);
      CompletableFuture<HandlerResult> result = new CompletableFuture<>();
      gate(context.jobId()).thenRun(() -> result.complete(HandlerResult.success("{\"gate\":\"opened\"}")));
      context.cancellation().thenRun(() -> result.complete(HandlerResult.failure("cancelled", false)));
      return result;
    }
  }

  /** The first attempt hangs until its gate opens (and then claims success); later attempts succeed. */
  public static final class HangOnce implements JobHandler {
    @Override
    public String type() {
      return "hang-once";
    }

    @Override
    public CompletionStage<HandlerResult> handle(JobContext context) {
      count(context);
      if (context.attempt() > 1) {
        return CompletableFuture.completedFuture(HandlerResult.success("{\"attempt\":" + context.attempt() + "}"));
      }
      started(context.jobId()).complete(context);
      return gate(context.jobId()).thenApply(ignored -> HandlerResult.success("{\"attempt\":1}"));
    }
  }

  /** Notes how many probes run at once, then succeeds a few milliseconds later. */
  public static final class Probe implements JobHandler {
    @Override
    public String type() {
      return "probe";
    }

    @Override
    public CompletionStage<HandlerResult> handle(JobContext context) {
      count(context);
      int now = RUNNING_NOW.incrementAndGet();
      MOST_AT_ONCE.accumulateAndGet(now, Math::max);
      CompletableFuture<HandlerResult> result = new CompletableFuture<>();
      context.scheduler().schedule(() -> {
        RUNNING_NOW.decrementAndGet();
        result.complete(HandlerResult.success(null));
      }, 3, TimeUnit.MILLISECONDS);
      return result;
    }
  }

  /** Answers its payload as its result, so a job carries the payload twice on its way back. */
  public static final class Echo implements JobHandler {
    @Override
    public String type() {
      return "echo";
    }

    @Override
    public CompletionStage<HandlerResult> handle(JobContext context) {
      count(context);
      return CompletableFuture.completedFuture(HandlerResult.success(context.payload()));
    }
  }

  /** Succeeds with a result of {@code {"s":"xx…"}} as long as its payload's {@code bytes} says. */
  public static final class Bloat implements JobHandler {
    @Override
    public String type() {
      return "bloat";
    }

    @Override
    public CompletionStage<HandlerResult> handle(JobContext context) {
      count(context);
      int bytes = Integer.parseInt(context.payload().replaceAll("[^0-9]", ""));
      return CompletableFuture.completedFuture(HandlerResult.success("{\"s\":\"" + "x".repeat(bytes - 8) + "\"}"));
    }
  }
}
