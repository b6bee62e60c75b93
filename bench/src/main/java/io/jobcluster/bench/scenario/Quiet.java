package io.jobcluster.bench.scenario;

import io.jobcluster.bench.metrics.ProcessCpu;
import java.time.Duration;

/**
 * Waiting until a process is quiet: it used under 15 % of a core over the last two seconds (or a
 * minute passed). An idle node still reconciles, polls its journal and compiles, so not zero.
 */
final class Quiet {
  static final Duration WINDOW = Duration.ofSeconds(2);
  static final double MAX_SHARE = 0.15;
  static final Duration GIVE_UP = Duration.ofSeconds(60);

  private Quiet() {}

  /** Whether it went quiet before {@link #GIVE_UP}. */
  static boolean await(long pid) {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    double last = ProcessCpu.seconds(pid).orElse(0);
    while (System.nanoTime() - deadline < 0) {
      BurnDowns.pause(WINDOW);
      double now = ProcessCpu.seconds(pid).orElse(0);
      if (now - last < MAX_SHARE * WINDOW.toSeconds()) {
        return true;
      }
      last = now;
    }
    return false;
  }
}
