package io.jobcluster.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeout;

import io.jobcluster.protocol.ErrorCode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /drain} on the management port, for a Kubernetes {@code preStop} hook: from the first
 * call on, {@code /health/ready} answers 503 {@code draining} (the Service stops routing to the
 * node) and the worker pools take no new work, finish what runs within {@code worker.drain-grace}
 * and hand back the rest: the drain SIGTERM runs, started early, which the shutdown then finds done.
 * Idempotent. {@code ?wait=true} answers when the drain ended (200), else at once (202).
 */
public final class DrainApi {
  private static final Logger log = LoggerFactory.getLogger(DrainApi.class);

  private final Supplier<CompletableFuture<Done>> drain;
  private final Duration longestDrain;

  /**
   * @param drain starts the drain or returns the one under way ({@code WorkerPools::drain})
   * @param longestDrain how long the drain may take at most: a waiting call outlasts pekko-http's request timeout by this much
   */
  public DrainApi(Supplier<CompletableFuture<Done>> drain, Duration longestDrain) {
    this.drain = drain;
    this.longestDrain = longestDrain;
  }

  Route drain() {
    return parameterOptional("wait", wait -> {
      Optional<Boolean> waits = wait.map(DrainApi::flag).orElse(Optional.of(false));
      if (waits.isEmpty()) {
        return complete(Responses.error(ErrorCode.INVALID_REQUEST, "wait must be true or false"));
      }
      CompletableFuture<Done> drained = drain.get();
      log.info("drain requested on the management port wait={} alreadyDrained={}", waits.get(), drained.isDone());
      if (!waits.get() && !drained.isDone()) {
        return complete(Responses.json(StatusCodes.ACCEPTED, Map.of("status", "draining")));
      }
      // The drain takes up to drain-grace + margins, longer than the server's request timeout (20 s).
      return withRequestTimeout(longestDrain, () -> onComplete(drained, done -> done.isSuccess()
          ? complete(Responses.json(StatusCodes.OK, Map.of("status", "drained")))
          : complete(Responses.unavailable("the drain did not end in time: " + done.failed().get().getMessage()))));
    });
  }

  private static Optional<Boolean> flag(String value) {
    return switch (value) {
      case "true" -> Optional.of(true);
      case "false" -> Optional.of(false);
      default -> Optional.empty();
    };
  }
}
