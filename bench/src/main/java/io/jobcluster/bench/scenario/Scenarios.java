package io.jobcluster.bench.scenario;

import io.jobcluster.bench.BenchOptions;
import java.util.List;

/** Every scenario in report order; a scenario runs when any of its sections was asked for. */
public final class Scenarios {
  private Scenarios() {}

  public static List<Scenario> all() {
    return List.of(new BurnDownScenario(), new SustainedScenario(), new LatencyScenario(), new MixedScenario(), new HeapScenario(),
        new ThreeNodesScenario(), new DelayedJobsScenario());
  }

  public static List<Scenario> chosen(BenchOptions options) {
    return all().stream().filter(s -> options.runs(s.ids().toArray(String[]::new))).toList();
  }
}
