package io.jobcluster.bench.load;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latencies in microseconds, each measured from the moment its request was due by the schedule
 * ({@link FixedRate}), not from when it was actually sent: a sender that fell behind, or a server
 * that stalled, shows in full in every request that waited behind it. That is the correction for
 * coordinated omission; no further correction ({@code recordValueWithExpectedInterval}) is applied.
 * Safe for concurrent recording.
 */
public final class LatencyRecorder {
  /** Longest latency kept apart; a longer one is recorded as this (and is a failed run anyway). */
  public static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(30);

  private final Histogram histogram = new ConcurrentHistogram(MAX_MICROS, 3);

  /** Records {@code completedNanos - dueNanos} (both {@link System#nanoTime()} readings); early answers count as 0. */
  public void record(long dueNanos, long completedNanos) {
    recordMicros((completedNanos - dueNanos) / 1_000);
  }

  public void recordMicros(long micros) {
    histogram.recordValue(Math.min(MAX_MICROS, Math.max(0, micros)));
  }

  public long count() {
    return histogram.getTotalCount();
  }

  /** A copy of what was recorded so far. */
  public Histogram snapshot() {
    return histogram.copy();
  }
}
