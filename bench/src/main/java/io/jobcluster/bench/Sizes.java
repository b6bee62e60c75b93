package io.jobcluster.bench;

import java.time.Duration;
import java.util.List;

/**
 * How big each scenario runs. {@link #FULL} is the issue's: 20,000 jobs per burn-down, three
 * repetitions, 2-minute sustained runs, 30 s per latency rate; {@link #QUICK} runs every scenario
 * small, for trying the command and for the build's smoke test.
 */
public record Sizes(
    int burnDownJobs, int repetitions, int batchSize, int submitters,
    Duration probe, Duration confirm, int firstProbeRate, int maxProbes, int sustainedBatch,
    List<Integer> latencyRates, Duration latencyWarmup, Duration latencyRun,
    int mixedClients, Duration mixedRun,
    int waitingJobs,
    int delayedJobs, int firingJobs, Duration firingLead, Duration firingSpread) {

  public static final Sizes FULL = new Sizes(
      20_000, 3, 500, 4,
      Duration.ofSeconds(30), Duration.ofMinutes(2), 500, 8, 100,
      List.of(250, 500, 1_000, 2_000), Duration.ofSeconds(5), Duration.ofSeconds(30),
      100, Duration.ofSeconds(60),
      100_000,
      1_000_000, 20_000, Duration.ofSeconds(60), Duration.ofSeconds(120));

  public static final Sizes QUICK = new Sizes(
      1_000, 1, 500, 4,
      Duration.ofSeconds(3), Duration.ofSeconds(4), 200, 2, 100,
      List.of(250, 500, 1_000, 2_000), Duration.ofMillis(500), Duration.ofSeconds(2),
      100, Duration.ofSeconds(3),
      2_000,
      20_000, 500, Duration.ofSeconds(5), Duration.ofSeconds(5));
}
