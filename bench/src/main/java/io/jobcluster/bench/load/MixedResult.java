package io.jobcluster.bench.load;

import java.util.Map;

/**
 * What the closed-loop clients saw, per operation ({@code submit}, {@code get}, {@code list},
 * {@code cancel}) and over all of them ({@code all}).
 */
public record MixedResult(int clients, double seconds, Map<String, Operation> operations) {
  public static final String ALL = "all";

  /** @param latency encoded histogram, microseconds from send to answer */
  public record Operation(long answered, Map<String, Long> failures, String latency) {}
}
