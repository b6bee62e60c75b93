package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SleepHandlerTest {

  private final SleepHandler handler = new SleepHandler();
  private ScheduledThreadPoolExecutor scheduler;

  @BeforeEach
  void startScheduler() {
    scheduler = new ScheduledThreadPoolExecutor(1);
    // So the test can see that a finished sleep leaves no timer behind.
    scheduler.setRemoveOnCancelPolicy(true);
  }

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  @Test
  void completesAfterTheRequestedTimeWithoutResult() {
    long start = System.nanoTime();

    HandlerResult result = Results.await(handler.handle(context("{\"ms\":150}")));

    assertEquals(new HandlerResult.Success(null), result);
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150));
  }

  @Test
  void holdsNoThreadWhileSleeping() {
    CompletionStage<HandlerResult> sleep = handler.handle(context("{\"ms\":3000}"));

    // handle returned before the sleep ended: the caller's thread was not used to wait.
    assertFalse(sleep.toCompletableFuture().isDone());
    assertEquals(new HandlerResult.Success(null), Results.await(sleep));
  }

  @Test
  void heartbeatsDuringASleepLongerThanTheLease() {
    TestJobContext context = context("{\"ms\":1000}").leaseTimeout(Duration.ofMillis(300));

    HandlerResult result = Results.await(handler.handle(context));

    assertEquals(new HandlerResult.Success(null), result);
    assertTrue(context.heartbeats().size() >= 2, "heartbeats: " + context.heartbeats());
    assertTrue(context.heartbeats().get(0).contains("\"ms\":1000"), context.heartbeats().get(0));
    assertTrue(context.heartbeats().get(0).matches("\\{\"sleptMs\":\\d+,\"ms\":1000}"), context.heartbeats().get(0));
  }

  @Test
  void returnsPromptlyOnCancellationAndLeavesNoTimers() {
    TestJobContext context = context("{\"ms\":60000}").leaseTimeout(Duration.ofMillis(300));
    CompletionStage<HandlerResult> sleep = handler.handle(context);

    context.cancel();

    assertEquals(new HandlerResult.Failure("cancelled", false), Results.await(sleep, Duration.ofMillis(500)));
    assertEquals(0, scheduler.getQueue().size());
  }

  @Test
  void doesNotSleepWhenAlreadyCancelled() {
    TestJobContext context = context("{\"ms\":60000}");
    context.cancel();

    assertEquals(new HandlerResult.Failure("cancelled", false), Results.await(handler.handle(context)));
  }

  @Test
  void stopsWhenAHeartbeatSaysTheLeaseIsGone() {
    TestJobContext context = context("{\"ms\":60000}")
        .leaseTimeout(Duration.ofMillis(60))
        .answerHeartbeats(progress -> CompletableFuture.completedFuture(false));

    assertEquals(new HandlerResult.Failure("lease lost", true), Results.await(handler.handle(context)));
  }

  @Test
  void keepsSleepingWhenHeartbeatsFail() {
    TestJobContext context = context("{\"ms\":300}")
        .leaseTimeout(Duration.ofMillis(60))
        .answerHeartbeats(progress -> CompletableFuture.failedFuture(new IllegalStateException("ask timed out")));

    assertEquals(new HandlerResult.Success(null), Results.await(handler.handle(context)));
    assertTrue(context.heartbeats().size() >= 2, "heartbeats: " + context.heartbeats());
  }

  @Test
  void keepsHeartbeatingWhenSendingOneThrows() {
    TestJobContext context = context("{\"ms\":300}")
        .leaseTimeout(Duration.ofMillis(60))
        .answerHeartbeats(SleepHandlerTest::throwing);

    assertEquals(new HandlerResult.Success(null), Results.await(handler.handle(context)));
    assertTrue(context.heartbeats().size() >= 2, "heartbeats: " + context.heartbeats());
  }

  @Test
  void sendsNoHeartbeatWhileOneIsUnanswered() {
    TestJobContext context = context("{\"ms\":300}")
        .leaseTimeout(Duration.ofMillis(30))
        .answerHeartbeats(progress -> new CompletableFuture<>());

    assertEquals(new HandlerResult.Success(null), Results.await(handler.handle(context)));
    assertEquals(1, context.heartbeats().size());
  }

  @Test
  void ignoresFieldsItDoesNotKnow() {
    assertEquals(new HandlerResult.Success(null), Results.await(handler.handle(context("{\"ms\":0,\"note\":\"x\"}"))));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{}                 | payload field 'ms' is required",
    "{\"ms\":null}      | payload field 'ms' is required",
    "{\"ms\":-1}        | payload field 'ms' must be between 0 and 86400000",
    "{\"ms\":86400001}  | payload field 'ms' must be between 0 and 86400000",
    "{\"ms\":99999999999999999999999} | payload field 'ms' must be between 0 and 86400000",
    "{\"ms\":1.5}       | payload field 'ms' must be an integer",
    "{\"ms\":5.0}       | payload field 'ms' must be an integer",
    "{\"ms\":\"100\"}   | payload field 'ms' must be an integer",
    "{ms:1}             | payload is not valid JSON",
    "{\"ms\":1,\"ms\":2} | payload is not valid JSON",
    "[]                 | payload must be a JSON object"
  })
  void invalidPayloadIsANonRetryableFailureNamingTheField(String payload, String error) {
    assertEquals(new HandlerResult.Failure(error, false), Results.await(handler.handle(context(payload))));
  }

  private TestJobContext context(String payload) {
    return new TestJobContext("sleep", payload, scheduler);
  }

  private static CompletionStage<Boolean> throwing(String progress) {
    throw new IllegalStateException("pool is shutting down");
  }
}
