package io.jobcluster.node.limits;

/**
 * A token bucket: holds up to {@code burst} tokens and refills at {@code ratePerSecond}. The rate is
 * given on each take, so it can follow the cluster's size. Thread-safe.
 */
final class TokenBucket {
  private double tokens;
  private long refilledAtNanos;

  TokenBucket(double burst, long nowNanos) {
    this.tokens = burst;
    this.refilledAtNanos = nowNanos;
  }

  /**
   * Takes {@code count} tokens if the bucket holds them.
   *
   * @return 0 when taken; otherwise how many nanoseconds until the bucket would hold them (nothing is taken)
   */
  synchronized long tryTake(int count, double ratePerSecond, double burst, long nowNanos) {
    long wait = waitFor(count, ratePerSecond, burst, nowNanos);
    if (wait == 0) {
      tokens -= count;
    }
    return wait;
  }

  /** How many nanoseconds until the bucket holds {@code count} tokens (0: it holds them now); takes nothing. */
  synchronized long waitFor(int count, double ratePerSecond, double burst, long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - refilledAtNanos) / 1e9 * ratePerSecond);
    refilledAtNanos = nowNanos;
    if (tokens >= count) {
      return 0;
    }
    double missing = Math.min(count, burst) - tokens;
    return count > burst ? Long.MAX_VALUE : (long) Math.ceil(missing / ratePerSecond * 1e9);
  }

  /** Takes one token if there is one; an empty bucket stays empty. */
  synchronized void charge(double ratePerSecond, double burst, long nowNanos) {
    if (waitFor(1, ratePerSecond, burst, nowNanos) == 0) {
      tokens -= 1;
    }
  }

  /** Whether the bucket would be full by now: it then remembers nothing and can be dropped. */
  synchronized boolean fullAt(double ratePerSecond, double burst, long nowNanos) {
    return tokens + (nowNanos - refilledAtNanos) / 1e9 * ratePerSecond >= burst;
  }
}
