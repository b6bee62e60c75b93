package io.jobcluster.node.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Answers {@code 503 unavailable} early when a call is slow because the database is gone: after
 * {@code checkAfter} without an answer, the database probe is asked, and only if it says the
 * database is down does the client get 503 (with Retry-After). A call that is merely slow under
 * load keeps waiting for its answer. The command may still land later; clients retry with an
 * idempotency key to be safe.
 */
public record AnswerDeadline(Duration checkAfter, Supplier<CompletionStage<Boolean>> databaseUp) {

  CompletionStage<HttpResponse> guard(CompletionStage<HttpResponse> answer) {
    CompletableFuture<HttpResponse> result = answer.toCompletableFuture().thenApply(response -> response);
    CompletableFuture.delayedExecutor(checkAfter.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (!result.isDone()) {
        databaseUp.get().thenAccept(up -> {
          if (!up) {
            result.complete(Responses.unavailable("the database is unreachable; try again"));
          }
        });
      }
    });
    return result;
  }
}
