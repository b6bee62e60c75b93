package io.jobcluster.bench.scenario;

import io.jobcluster.bench.report.Section;
import io.jobcluster.bench.run.BenchContext;
import java.util.List;

/** One measurement of the benchmark; it produces the report sections named by {@link #ids()}. */
public interface Scenario {
  /** The scenario letters whose sections this produces (the burn-down gives both a and f). */
  List<String> ids();

  /** A line for the console and, when it fails, for the report. */
  String title();

  List<Section> run(BenchContext context);
}
