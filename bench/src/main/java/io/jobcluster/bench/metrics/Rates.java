package io.jobcluster.bench.metrics;

import io.jobcluster.bench.CountAt;
import io.jobcluster.bench.report.Plots;
import java.util.ArrayList;
import java.util.List;

/** Throughput over time from a running count: jobs per second over a trailing window, for the plots. */
public final class Rates {
  private Rates() {}

  /**
   * Per reading, the count's growth over the trailing {@code windowMillis} divided by the window's
   * real length; x is seconds since {@code originEpochMillis}. A window smooths the 250 ms steps of
   * counters that jump by a batch at a time.
   */
  public static List<Plots.Point> perSecond(List<CountAt> counts, long originEpochMillis, long windowMillis) {
    List<Plots.Point> points = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < counts.size(); i++) {
      CountAt now = counts.get(i);
      while (from < i && now.epochMillis() - counts.get(from + 1).epochMillis() >= windowMillis) {
        from++;
      }
      CountAt then = counts.get(from);
      long span = now.epochMillis() - then.epochMillis();
      if (span > 0 && now.epochMillis() >= originEpochMillis) {
        points.add(new Plots.Point((now.epochMillis() - originEpochMillis) / 1000.0, (now.count() - then.count()) * 1000.0 / span));
      }
    }
    return points;
  }

  /** The counts from the origin on as points: (seconds since origin, count). */
  public static List<Plots.Point> values(List<CountAt> counts, long originEpochMillis) {
    return counts.stream().filter(c -> c.epochMillis() >= originEpochMillis)
        .map(c -> new Plots.Point((c.epochMillis() - originEpochMillis) / 1000.0, c.count())).toList();
  }
}
