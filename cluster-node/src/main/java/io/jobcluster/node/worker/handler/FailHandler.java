package io.jobcluster.node.worker.handler;

import io.jobcluster.node.json.NodeJson;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code fail} {@code {times, retryable}}: fails attempts 1..times with "failing attempt N of T",
 * then succeeds with {@code {"attempt":N}}. For trying out retries, backoff and dead letters.
 */
public final class FailHandler implements JobHandler {

  public static final String TYPE = "fail";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CompletionStage<HandlerResult> handle(JobContext context) {
    FailPayload payload;
    try {
      payload = FailPayload.parse(context.payload());
    } catch (InvalidPayloadException e) {
      return CompletableFuture.completedFuture(e.toFailure());
    }
    return CompletableFuture.completedFuture(resultOf(context.attempt(), payload));
  }

  private static HandlerResult resultOf(int attempt, FailPayload payload) {
    if (attempt <= payload.failingAttempts()) {
      return HandlerResult.failure(
          "failing attempt " + attempt + " of " + payload.failingAttempts(), payload.retryable());
    }
    return HandlerResult.success(NodeJson.write(new Succeeded(attempt)));
  }

  /** The result: which attempt succeeded. */
  private record Succeeded(int attempt) {}
}
