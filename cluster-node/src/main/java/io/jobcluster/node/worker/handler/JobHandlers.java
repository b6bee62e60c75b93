package io.jobcluster.node.worker.handler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** All handlers by type, loaded once. */
public final class JobHandlers {

  private static final Logger log = LoggerFactory.getLogger(JobHandlers.class);
  // The job type syntax of DESIGN.md: a handler with any other type could never receive a job.
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private final Map<String, JobHandler> byType;
  private final DisabledJobTypes disabled;

  private JobHandlers(Map<String, JobHandler> byType, DisabledJobTypes disabled) {
    this.byType = Collections.unmodifiableMap(byType);
    this.disabled = disabled;
  }

  /**
   * Every {@link JobHandler} that {@link ServiceLoader} finds through {@code loader}.
   *
   * @throws IllegalStateException when two handlers claim the same type (naming both classes) or
   *     a handler's type is not a valid job type
   * @throws java.util.ServiceConfigurationError when a listed class cannot be instantiated
   */
  public static JobHandlers load(ClassLoader loader) {
    return load(loader, List.of());
  }

  /**
   * {@code nodeHandlers} (built-in types that need the node, such as {@code http}), then every
   * {@link JobHandler} that {@link ServiceLoader} finds through {@code loader}; same checks as
   * {@link #load(ClassLoader)}.
   */
  public static JobHandlers load(ClassLoader loader, List<JobHandler> nodeHandlers) {
    List<JobHandler> all = new ArrayList<>(nodeHandlers);
    ServiceLoader.load(JobHandler.class, loader).forEach(all::add);
    return index(all);
  }

  /** Exactly these handlers; same checks as {@link #load}. For tests and embedding. */
  public static JobHandlers of(JobHandler... handlers) {
    return index(Arrays.asList(handlers));
  }

  private static JobHandlers index(Iterable<JobHandler> handlers) {
    Map<String, JobHandler> byType = new LinkedHashMap<>();
    for (JobHandler handler : handlers) {
      String type = handler.type();
      if (type == null || !TYPE.matcher(type).matches()) {
        throw new IllegalStateException(
            "job handler " + handler.getClass().getName() + " has an invalid type '" + type + "'");
      }
      JobHandler previous = byType.putIfAbsent(type, handler);
      if (previous != null) {
        throw new IllegalStateException(
            "job type '" + type + "' is claimed by both " + previous.getClass().getName()
                + " and " + handler.getClass().getName());
      }
    }
    return new JobHandlers(byType, DisabledJobTypes.none());
  }

  /** These handlers, refusing to run the types {@code switchedOff} disables. */
  public JobHandlers disabling(DisabledJobTypes switchedOff) {
    return new JobHandlers(byType, switchedOff);
  }

  public Optional<JobHandler> forType(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  /** The registered types, in load order. */
  public Set<String> types() {
    return byType.keySet();
  }

  /**
   * Runs the attempt with the handler of its type. An unknown type becomes a non-retryable
   * failure; a thrown exception, a failed stage or a missing result become a retryable failure with
   * the exception's message. Never returns a failed stage.
   */
  public CompletionStage<HandlerResult> run(JobContext context) {
    return run(context, null);
  }

  /**
   * As {@link #run(JobContext)}, for a job of {@code tenant} (null: unknown); a type disabled for the
   * tenant, or everywhere, is a non-retryable failure and runs nothing.
   */
  public CompletionStage<HandlerResult> run(JobContext context, String tenant) {
    Optional<String> refused = disabled.refusal(tenant, context.type());
    if (refused.isPresent()) {
      log.info("disabled job type jobId={} attempt={} type={}", context.jobId(), context.attempt(), context.type());
      return CompletableFuture.completedFuture(HandlerResult.failure(refused.get(), false));
    }
    JobHandler handler = byType.get(context.type());
    if (handler == null) {
      log.warn("no handler jobId={} attempt={} type={}", context.jobId(), context.attempt(), context.type());
      return CompletableFuture.completedFuture(
          HandlerResult.failure("no handler for job type '" + context.type() + "'", false));
    }
    CompletionStage<HandlerResult> stage;
    try {
      stage = handler.handle(context);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // Errors too (a missing class in a handler's jar): a handler bug must not take the pool down.
      return CompletableFuture.completedFuture(thrown(context, e));
    }
    if (stage == null) {
      return CompletableFuture.completedFuture(missingResult(context));
    }
    return stage.handle((result, error) -> settle(context, result, error));
  }

  private static HandlerResult settle(JobContext context, HandlerResult result, Throwable error) {
    if (error != null) {
      return thrown(context, unwrap(error));
    }
    return result != null ? result : missingResult(context);
  }

  private static HandlerResult thrown(JobContext context, Throwable error) {
    log.warn(
        "handler failed jobId={} attempt={} type={}", context.jobId(), context.attempt(), context.type(), error);
    return HandlerResult.failure(messageOf(error), true);
  }

  private static HandlerResult missingResult(JobContext context) {
    log.warn("handler returned no result jobId={} attempt={} type={}",
        context.jobId(), context.attempt(), context.type());
    return HandlerResult.failure("handler for job type '" + context.type() + "' returned no result", true);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static String messageOf(Throwable error) {
    String message = error.getMessage();
    return message == null || message.isBlank() ? error.getClass().getName() : message;
  }
}
