package io.jobcluster.bench.load;

import java.time.Duration;

/**
 * The schedule of an open-loop load: request {@code i} is due {@code i / perSecond} after the start,
 * whatever happened to the requests before it. A load that waited for slow answers before sending
 * the next request would send less exactly when the server is slow and hide its worst latencies.
 */
public record FixedRate(double perSecond) {
  public FixedRate {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive, got " + perSecond);
    }
  }

  /** When request {@code i} is due, in nanoseconds after the start. */
  public long dueNanos(long i) {
    return Math.round(i * 1e9 / perSecond);
  }

  /** How many requests fall due within {@code window} from the start. */
  public long countWithin(Duration window) {
    return (long) Math.ceil(window.toNanos() * perSecond / 1e9);
  }
}
