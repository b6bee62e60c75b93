package io.jobcluster.multijvm;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * How the harness and its tests wait for other processes, on Awaitility: probe, pause briefly,
 * probe again, until a deadline. The pause only spaces the probes; it never stands in for the
 * condition.
 */
public final class Poll {
  public static final Duration INTERVAL = Duration.ofMillis(200);

  private Poll() {}

  /**
   * Runs the assertion until it passes. An {@link AssertionError} means "not yet" and is retried;
   * at the deadline the last one is thrown. Any other exception stops the wait at once, which is
   * how a probe reports that waiting longer cannot help (for example, the node has exited).
   */
  public static void untilAsserted(Duration timeout, Runnable assertion) {
    try {
      Awaitility.await().atMost(timeout).pollInterval(INTERVAL).untilAsserted(assertion::run);
    } catch (ConditionTimeoutException timedOut) {
      // Callers add their own context (a node's log tail) to the last AssertionError.
      if (timedOut.getCause() instanceof AssertionError last) {
        throw last;
      }
      throw timedOut;
    }
  }

  /** Waits until the condition holds; fails with the description at the deadline. */
  public static void until(String description, Duration timeout, BooleanSupplier condition) {
    untilAsserted(timeout, () -> {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + description);
      }
    });
  }

  /** Checks the condition throughout the window and fails at the first probe where it is false. */
  public static void holdsFor(String description, Duration window, BooleanSupplier condition) {
    long end = System.nanoTime() + window.toNanos();
    Awaitility.await().atMost(window.plusSeconds(5)).pollInterval(INTERVAL)
        .failFast("expected throughout " + window + ", but broke: " + description, () -> !condition.getAsBoolean())
        .until(() -> System.nanoTime() - end >= 0);
  }

  /** Spaces two tries of something (a poll, a resubmission); waits for the clock, not for another thread. */
  static void pause(Duration duration) {
    CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(duration.toMillis(), TimeUnit.MILLISECONDS)).join();
  }
}
