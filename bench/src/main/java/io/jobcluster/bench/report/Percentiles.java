package io.jobcluster.bench.report;

import org.HdrHistogram.Histogram;

/** The percentiles the report prints of a latency histogram (microseconds). */
public record Percentiles(long count, double p50, double p95, double p99, double p999, double max) {

  public static Percentiles of(Histogram histogram) {
    if (histogram.getTotalCount() == 0) {
      return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Percentiles(histogram.getTotalCount(), histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(95),
        histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
  }

  /** A value for a table cell; "–" when nothing was recorded. */
  public static String cell(double micros) {
    return Double.isNaN(micros) ? "–" : Formats.millis(micros);
  }
}
