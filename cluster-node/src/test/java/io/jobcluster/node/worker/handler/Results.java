package io.jobcluster.node.worker.handler;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/** Waits in tests with a deadline, never with a fixed sleep. */
final class Results {

  static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final Duration POLL = Duration.ofMillis(5);

  private Results() {}

  static HandlerResult await(CompletionStage<HandlerResult> stage) {
    return await(stage, DEADLINE);
  }

  static HandlerResult await(CompletionStage<HandlerResult> stage, Duration deadline) {
    try {
      return stage.toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no handler result within " + deadline, e);
    }
  }

  /** Polls {@code condition} until it holds, failing after {@link #DEADLINE}. */
  static void eventually(String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(DEADLINE).pollInterval(POLL).until(condition::getAsBoolean);
  }
}
