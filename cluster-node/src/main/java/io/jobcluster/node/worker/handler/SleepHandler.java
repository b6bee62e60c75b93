package io.jobcluster.node.worker.handler;

import io.jobcluster.node.json.NodeJson;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sleep} {@code {ms}}: completes after {@code ms} milliseconds (at most 24 h) with no result.
 * Holds no thread while sleeping (a scheduled completion) and keeps its lease with a {@link
 * LeaseKeeper}, so a long sleep loses its lease only when heartbeats fail. Stops at once on
 * cancellation ({@code Failure("cancelled", false)}) or when a heartbeat says the lease is gone
 * ({@code Failure("lease lost", true)}); the pool ignores either result.
 */
public final class SleepHandler implements JobHandler {

  public static final String TYPE = "sleep";
  private static final Logger log = LoggerFactory.getLogger(SleepHandler.class);

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CompletionStage<HandlerResult> handle(JobContext context) {
    SleepPayload payload;
    try {
      payload = SleepPayload.parse(context.payload());
    } catch (InvalidPayloadException e) {
      return CompletableFuture.completedFuture(e.toFailure());
    }
    return new Sleep(context, payload.duration()).start();
  }

  /** The progress a heartbeat reports: how long of how long. */
  private record Progress(long sleptMs, long ms) {}

  /** One attempt's sleep: its timer, its lease keeper and its result. */
  private static final class Sleep {
    private final JobContext context;
    private final Duration duration;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<HandlerResult> result = new CompletableFuture<>();

    Sleep(JobContext context, Duration duration) {
      this.context = context;
      this.duration = duration;
    }

    CompletionStage<HandlerResult> start() {
      ScheduledFuture<?> wake =
          context.scheduler().schedule(this::wake, duration.toNanos(), TimeUnit.NANOSECONDS);
      LeaseKeeper lease = LeaseKeeper.start(context, this::progress, this::leaseLost);
      // Registered after the timers exist, so a sleep that ended already still cancels them.
      result.whenComplete((ignored, error) -> {
        wake.cancel(false);
        lease.stop();
      });
      context.cancellation().thenRun(this::cancelled);
      return result;
    }

    private void wake() {
      result.complete(HandlerResult.success(null));
    }

    private void cancelled() {
      if (result.complete(HandlerResult.failure("cancelled", false))) {
        log.debug("sleep cancelled jobId={} attempt={}", context.jobId(), context.attempt());
      }
    }

    private void leaseLost() {
      result.complete(HandlerResult.failure("lease lost", true));
    }

    private String progress() {
      long sleptMs = Math.min(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), duration.toMillis());
      return NodeJson.write(new Progress(sleptMs, duration.toMillis()));
    }
  }
}
