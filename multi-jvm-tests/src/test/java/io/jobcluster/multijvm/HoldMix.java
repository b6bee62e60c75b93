package io.jobcluster.multijvm;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * How long the ledger holds each job's call: bands of durations with weights, picked per job
 * index from a fixed seed, so a run is repeatable.
 */
public record HoldMix(String description, List<Band> bands, long seed) {

  /** Durations between {@code minMs} and {@code maxMs} (inclusive), chosen with relative {@code weight}. */
  public record Band(int weight, long minMs, long maxMs) {
    public Band {
      if (weight < 1 || minMs < 0 || maxMs < minMs) {
        throw new IllegalArgumentException("band needs weight >= 1 and 0 <= min <= max");
      }
    }
  }

  public HoldMix {
    bands = List.copyOf(bands);
    if (bands.isEmpty()) {
      throw new IllegalArgumentException("a mix needs at least one band");
    }
  }

  /**
   * 50 ms to 2 s, most of it short as real jobs are: 70 % 50-150 ms, 25 % 150-800 ms, 5 % 0.8-2 s
   * (mean about 0.26 s).
   */
  public static HoldMix mixed() {
    return new HoldMix("50-2000 ms (70 % <150 ms, 5 % >800 ms)",
        List.of(new Band(70, 50, 150), new Band(25, 150, 800), new Band(5, 800, 2000)), 20_250_501L);
  }

  /** Every duration between the two equally likely. */
  public static HoldMix uniform(long minMs, long maxMs) {
    return new HoldMix(minMs + "-" + maxMs + " ms", List.of(new Band(1, minMs, maxMs)), 7L);
  }

  /** The hold of job number {@code index}; the same index always gets the same hold. */
  public Duration holdOf(int index) {
    Random random = new Random(seed * 31 + index);
    int total = bands.stream().mapToInt(Band::weight).sum();
    int pick = random.nextInt(total);
    for (Band band : bands) {
      if (pick < band.weight()) {
        return Duration.ofMillis(band.minMs() + (long) (random.nextDouble() * (band.maxMs() - band.minMs() + 1)));
      }
      pick -= band.weight();
    }
    throw new IllegalStateException("unreachable: the pick is below the total weight");
  }
}
