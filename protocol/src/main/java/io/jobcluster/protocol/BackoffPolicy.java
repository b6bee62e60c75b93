package io.jobcluster.protocol;

import java.time.Duration;

/**
 * Exponential retry backoff with "equal jitter": after failed attempt {@code n} the job waits
 * between half and all of {@code min(maxSeconds, initialSeconds * multiplier^(n-1))}. The jitter
 * spreads retries of jobs that failed together so they do not hit a recovering dependency at once.
 */
public record BackoffPolicy(double initialSeconds, double multiplier, double maxSeconds) {

  /** A week: longer waits belong to runAt, not to a retry policy. */
  private static final double MAX_SECONDS = 7 * 24 * 3600;

  public static final BackoffPolicy DEFAULT = new BackoffPolicy(1, 2, 300);

  public BackoffPolicy {
    if (!(initialSeconds > 0 && initialSeconds <= MAX_SECONDS)) {
      throw new InvalidRequestException("backoff.initialSeconds", "must be > 0 and <= " + (long) MAX_SECONDS);
    }
    if (!(multiplier >= 1 && multiplier <= 100)) {
      throw new InvalidRequestException("backoff.multiplier", "must be between 1 and 100");
    }
    if (!(maxSeconds >= initialSeconds && maxSeconds <= MAX_SECONDS)) {
      throw new InvalidRequestException("backoff.maxSeconds", "must be >= initialSeconds and <= " + (long) MAX_SECONDS);
    }
  }

  public static BackoffPolicy exponential(double initialSeconds, double multiplier, double maxSeconds) {
    return new BackoffPolicy(initialSeconds, multiplier, maxSeconds);
  }

  /** The longest wait after failed attempt {@code attempt} (1-based), before jitter. */
  public Duration ceilingAfter(int attempt) {
    double seconds = Math.min(maxSeconds, initialSeconds * Math.pow(multiplier, Math.max(0, attempt - 1)));
    return Duration.ofNanos((long) (seconds * 1_000_000_000L));
  }

  /**
   * The wait after failed attempt {@code attempt}, given a uniform random number in [0, 1): between
   * half of {@link #ceilingAfter(int)} and all of it.
   */
  public Duration delayAfter(int attempt, double uniformRandom) {
    long ceiling = ceilingAfter(attempt).toNanos();
    return Duration.ofNanos(ceiling / 2 + (long) (ceiling / 2.0 * uniformRandom));
  }
}
