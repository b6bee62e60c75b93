package io.jobcluster.bench;

import java.nio.file.Path;

/** {@code bash bench/run.sh [--quick] [--only a,c] [--out DIR]}: see {@link BenchOptions}. */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Path report = new Orchestrator(options, System.out).run();
    System.out.println("report: " + report.toAbsolutePath().normalize());
    // Node processes are killed by the harness's shutdown hook if any is left.
    System.exit(0);
  }
}
