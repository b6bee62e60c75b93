package io.jobcluster.node.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Observations (in seconds) counted into fixed cumulative buckets, per combination of label values. */
public final class Histogram extends MetricFamily<Histogram.Series> {
  private final double[] bounds;

  Histogram(String name, String help, List<String> labelNames, double... bounds) {
    super(name, help, labelNames);
    for (int i = 1; i < bounds.length; i++) {
      if (bounds[i] <= bounds[i - 1]) {
        throw new IllegalArgumentException(name + ": bucket bounds must increase");
      }
    }
    this.bounds = bounds.clone();
  }

  static final class Series {
    private final LongAdder[] buckets;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    private Series(int bucketCount) {
      buckets = new LongAdder[bucketCount];
      for (int i = 0; i < bucketCount; i++) {
        buckets[i] = new LongAdder();
      }
    }
  }

  public void observe(Duration duration, String... labelValues) {
    observe(Math.max(0, duration.toNanos()) / 1e9, labelValues);
  }

  public void observe(double seconds, String... labelValues) {
    Series series = seriesFor(labelValues, () -> new Series(bounds.length));
    for (int i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]) {
        series.buckets[i].increment();
        break;
      }
    }
    series.count.increment();
    series.sum.add(seconds);
  }

  /** How many observations one series holds (0 if none). */
  public long count(String... labelValues) {
    Series series = this.series.get(List.of(labelValues));
    return series == null ? 0 : series.count.sum();
  }

  @Override
  String type() {
    return "histogram";
  }

  @Override
  void writeSamples(PrometheusText out) {
    List<String> bucketLabels = new ArrayList<>(labelNames);
    bucketLabels.add("le");
    series.forEach((labels, s) -> {
      long cumulative = 0;
      for (int i = 0; i < bounds.length; i++) {
        cumulative += s.buckets[i].sum();
        out.sample(name + "_bucket", bucketLabels, with(labels, PrometheusText.number(bounds[i])), cumulative);
      }
      long count = s.count.sum();
      out.sample(name + "_bucket", bucketLabels, with(labels, "+Inf"), count);
      out.sample(name + "_sum", labelNames, labels, s.sum.sum());
      out.sample(name + "_count", labelNames, labels, count);
    });
  }

  private static List<String> with(List<String> labels, String le) {
    List<String> all = new ArrayList<>(labels);
    all.add(le);
    return all;
  }
}
