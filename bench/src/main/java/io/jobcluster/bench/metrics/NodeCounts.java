package io.jobcluster.bench.metrics;

import java.util.List;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;

/**
 * The nodes' job counters at one moment, summed over nodes and label sets: jobs accepted
 * ({@code jobcluster_jobs_submitted_total}) and jobs COMPLETED ({@code jobcluster_jobs_completed_total}).
 */
public record NodeCounts(long epochMillis, long submitted, long completed) {
  public static final String SUBMITTED = "jobcluster_jobs_submitted_total";
  public static final String COMPLETED = "jobcluster_jobs_completed_total";

  /** Jobs accepted and not yet completed. */
  public long backlog() {
    return submitted - completed;
  }

  /** These counts less an earlier reading's, for what one run did on nodes that ran others before. */
  public NodeCounts minus(NodeCounts baseline) {
    return new NodeCounts(epochMillis, submitted - baseline.submitted, completed - baseline.completed);
  }

  /**
   * When a counter first reached {@code target}, between the last reading below it and the first at
   * or above it, assuming a steady pace in between (readings are 250 ms apart); empty if it never did.
   */
  public static OptionalLong reached(List<NodeCounts> readings, ToLongFunction<NodeCounts> counter, long target) {
    NodeCounts before = null;
    for (NodeCounts reading : readings) {
      long value = counter.applyAsLong(reading);
      if (value >= target) {
        if (before == null) {
          return OptionalLong.of(reading.epochMillis);
        }
        long from = counter.applyAsLong(before);
        double fraction = value == from ? 1.0 : (double) (target - from) / (value - from);
        return OptionalLong.of(before.epochMillis + Math.round(fraction * (reading.epochMillis - before.epochMillis)));
      }
      before = reading;
    }
    return OptionalLong.empty();
  }

  /** A counter's value at {@code epochMillis}, interpolated between readings; the first or last reading outside them. */
  public static double at(List<NodeCounts> readings, ToLongFunction<NodeCounts> counter, long epochMillis) {
    if (readings.isEmpty()) {
      throw new IllegalArgumentException("no readings");
    }
    NodeCounts before = readings.get(0);
    if (epochMillis <= before.epochMillis) {
      return counter.applyAsLong(before);
    }
    for (NodeCounts reading : readings) {
      if (reading.epochMillis >= epochMillis) {
        double span = reading.epochMillis - before.epochMillis;
        double fraction = span == 0 ? 1.0 : (epochMillis - before.epochMillis) / span;
        return counter.applyAsLong(before) + fraction * (counter.applyAsLong(reading) - counter.applyAsLong(before));
      }
      before = reading;
    }
    return counter.applyAsLong(before);
  }
}
