package io.jobcluster.node.worker.handler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code noop}: succeeds at once with no result, whatever the payload. */
public final class NoopHandler implements JobHandler {

  public static final String TYPE = "noop";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CompletionStage<HandlerResult> handle(JobContext context) {
    return CompletableFuture.completedFuture(HandlerResult.success(null));
  }
}
