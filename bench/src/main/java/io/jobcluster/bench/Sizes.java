package io.jobcluster.bench;

import java.time.Duration;
import java.util.List;

/**
 * How big each scenario runs. {@link #FULL} is the issue's: 20,000 jobs per burn-down (after
 * 60,000 unmeasured ones in the same JVMs, so both systems are measured warm: the node's CPU per
 * job still falls by a third from the second to the fourth 20,000 as the JIT compiles), three
 * repetitions, 2-minute sustained runs, 30 s per latency rate; {@link #QUICK} runs every scenario
 * small, for trying the command.
 */
public record Sizes(
    int burnDownJobs, int warmupJobs, int repetitions, int batchSize, int submitters,
    Duration probe, Duration confirm, int firstProbeRate, int maxProbes, int sustainedBatch,
    List<Integer> latencyRates, Duration latencyWarmup, Duration latencyRun,
    int mixedClients, Duration mixedRun,
    int waitingJobs,
    int delayedJobs, int firingJobs, Duration firingLead, Duration firingSpread) {

  public static final Sizes FULL = new Sizes(
      20_000, 60_000, 3, 500, 4,
      Duration.ofSeconds(30), Duration.ofMinutes(2), 500, 8, 100,
      List.of(250, 500, 1_000, 2_000), Duration.ofSeconds(5), Duration.ofSeconds(30),
      100, Duration.ofSeconds(60),
      100_000,
      1_000_000, 20_000, Duration.ofSeconds(60), Duration.ofSeconds(120));

  /** Every scenario small: for trying the command. */
  public static final Sizes QUICK = new Sizes(
      1_000, 1_000, 1, 500, 4,
      Duration.ofSeconds(3), Duration.ofSeconds(3), 200, 1, 100,
      List.of(250, 1_000), Duration.ofMillis(500), Duration.ofSeconds(1),
      100, Duration.ofSeconds(3),
      2_000,
      20_000, 500, Duration.ofSeconds(10), Duration.ofSeconds(5));

  /** Smaller still, for the build's smoke test: it checks that everything runs and reports, not how fast. */
  public static final Sizes SMOKE = new Sizes(
      500, 200, 1, 250, 4,
      Duration.ofSeconds(2), Duration.ofSeconds(2), 100, 1, 50,
      List.of(250), Duration.ofMillis(200), Duration.ofMillis(500),
      20, Duration.ofSeconds(2),
      500,
      2_000, 200, Duration.ofSeconds(3), Duration.ofSeconds(3));
}
