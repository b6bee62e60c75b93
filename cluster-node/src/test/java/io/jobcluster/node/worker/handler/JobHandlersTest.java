package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class JobHandlersTest {

  @Test
  void serviceLoaderFindsEveryBuiltInHandlerNextToTheNodesOwn() {
    Fixed http = new Fixed("http", context -> null);
    JobHandlers handlers = JobHandlers.load(getClass().getClassLoader(), List.of(http));

    // The test classpath adds the test handlers of io.jobcluster.node.worker.TestHandlers.
    assertTrue(handlers.types().containsAll(Set.of("noop", "sleep", "fail", "http")), handlers.types().toString());
    assertSame(http, handlers.forType("http").orElseThrow(), "http needs the node (its actor system and settings): the node makes it");
    assertFalse(JobHandlers.load(getClass().getClassLoader()).types().contains("http"), "not through the service loader");
  }

  @Test
  void aNodeHandlerClaimingAServiceLoadedTypeIsRejected() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> JobHandlers.load(getClass().getClassLoader(), List.of(new Fixed("noop", context -> null))));

    assertTrue(e.getMessage().contains("'noop'"), e.getMessage());
  }

  @Test
  void aDisabledTypeFailsWithoutRunningEverywhereOrForItsTenant() {
    AtomicInteger runs = new AtomicInteger();
    JobHandlers handlers = JobHandlers.of(
        new Fixed("t", context -> {
          runs.incrementAndGet();
          return CompletableFuture.completedFuture(HandlerResult.success(null));
        }),
        new Fixed("u", context -> CompletableFuture.completedFuture(HandlerResult.success(null))))
        .disabling(new DisabledJobTypes(Set.of("u"), Map.of("acme", Set.of("t"))));

    assertEquals(new HandlerResult.Failure("job type 't' is disabled for tenant 'acme'", false),
        Results.await(handlers.run(new TestJobContext("t", null, null), "acme")));
    assertEquals(new HandlerResult.Failure("job type 'u' is disabled on this cluster", false),
        Results.await(handlers.run(new TestJobContext("u", null, null), "globex")));
    assertEquals(new HandlerResult.Failure("job type 'u' is disabled on this cluster", false),
        Results.await(handlers.run(new TestJobContext("u", null, null), null)));
    assertEquals(0, runs.get());
    assertEquals(new HandlerResult.Success(null), Results.await(handlers.run(new TestJobContext("t", null, null), "globex")));
    assertEquals(1, runs.get());
  }

  @Test
  void runsTheHandlerOfTheAttemptsType() {
    JobHandlers handlers = JobHandlers.of(
        new Fixed("a", context -> CompletableFuture.completedFuture(HandlerResult.success("\"a\""))),
        new Fixed("b", context -> CompletableFuture.completedFuture(HandlerResult.success("\"b\""))));

    assertEquals(new HandlerResult.Success("\"b\""), run(handlers, "b"));
  }

  @Test
  void unknownTypeIsANonRetryableFailure() {
    JobHandlers handlers = JobHandlers.of(new FirstDuplicate());

    assertEquals(new HandlerResult.Failure("no handler for job type 'x'", false), run(handlers, "x"));
    assertTrue(handlers.forType("x").isEmpty());
  }

  @Test
  void handlerThrowingIsARetryableFailureWithItsMessage() {
    JobHandlers handlers = JobHandlers.of(new Fixed("t", context -> {
      throw new IllegalStateException("boom");
    }));

    assertEquals(new HandlerResult.Failure("boom", true), run(handlers, "t"));
  }

  @Test
  void failedStageIsARetryableFailureWithTheCausesMessage() {
    JobHandlers handlers = JobHandlers.of(new Fixed("t",
        context -> CompletableFuture.failedFuture(new CompletionException(new IOException("disk full")))));

    assertEquals(new HandlerResult.Failure("disk full", true), run(handlers, "t"));
  }

  @Test
  void exceptionWithoutMessageIsNamedByItsClass() {
    JobHandlers handlers = JobHandlers.of(new Fixed("t", context -> {
      throw new NullPointerException();
    }));

    assertEquals(new HandlerResult.Failure("java.lang.NullPointerException", true), run(handlers, "t"));
  }

  @Test
  void missingStageOrResultIsARetryableFailure() {
    JobHandlers noStage = JobHandlers.of(new Fixed("t", context -> null));
    JobHandlers noResult = JobHandlers.of(new Fixed("t", context -> CompletableFuture.completedFuture(null)));

    HandlerResult expected = new HandlerResult.Failure("handler for job type 't' returned no result", true);
    assertEquals(expected, run(noStage, "t"));
    assertEquals(expected, run(noResult, "t"));
  }

  @Test
  void duplicateTypesAreRejectedNamingBothClasses() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> JobHandlers.of(new FirstDuplicate(), new SecondDuplicate()));

    assertEquals("job type 'dup' is claimed by both " + FirstDuplicate.class.getName() + " and "
        + SecondDuplicate.class.getName(), e.getMessage());
  }

  @Test
  void duplicateTypesFoundByTheServiceLoaderAreRejected(@TempDir Path dir) throws IOException {
    Path services = dir.resolve("META-INF/services/" + JobHandler.class.getName());
    Files.createDirectories(services.getParent());
    Files.write(services, List.of(FirstDuplicate.class.getName(), SecondDuplicate.class.getName()));

    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> JobHandlers.load(loader));

      assertTrue(e.getMessage().contains(FirstDuplicate.class.getName()), e.getMessage());
      assertTrue(e.getMessage().contains(SecondDuplicate.class.getName()), e.getMessage());
    }
  }

  @Test
  void invalidTypeIsRejected() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> JobHandlers.of(new Fixed("no spaces", context -> null)));

    assertTrue(e.getMessage().contains("'no spaces'"), e.getMessage());
  }

  private static HandlerResult run(JobHandlers handlers, String type) {
    return Results.await(handlers.run(new TestJobContext(type, null, null)));
  }

  /** A handler whose behaviour the test writes inline. */
  private record Fixed(String type, Function<JobContext, CompletionStage<HandlerResult>> behaviour)
      implements JobHandler {
    @Override
    public CompletionStage<HandlerResult> handle(JobContext context) {
      return behaviour.apply(context);
    }
  }

  /** Public with a no-arg constructor, so ServiceLoader can make one. */
  public static class FirstDuplicate implements JobHandler {
    @Override
    public String type() {
      return "dup";
    }

    @Override
    public CompletionStage<HandlerResult> handle(JobContext context) {
      return CompletableFuture.completedFuture(HandlerResult.success(null));
    }
  }

  /** Claims the same type as {@link FirstDuplicate}. */
  public static final class SecondDuplicate extends FirstDuplicate {}
}
