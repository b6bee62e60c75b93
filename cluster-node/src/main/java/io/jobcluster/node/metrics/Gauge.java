package io.jobcluster.node.metrics;

import java.util.List;
import java.util.Map;

/**
 * A value read when metrics are scraped (queue depth, cluster members): the scrape sets the
 * current samples, replacing the previous ones, so series that disappeared are not reported.
 */
public final class Gauge extends MetricFamily<Double> {

  Gauge(String name, String help, List<String> labelNames) {
    super(name, help, labelNames);
  }

  /** Replaces every sample of this gauge. */
  public synchronized void setAll(Map<List<String>, Double> samples) {
    series.clear();
    samples.forEach((labels, value) -> seriesFor(labels.toArray(String[]::new), () -> value));
  }

  public void set(double value, String... labelValues) {
    series.put(List.of(labelValues), value);
  }

  @Override
  String type() {
    return "gauge";
  }

  @Override
  synchronized void writeSamples(PrometheusText out) {
    series.forEach((labels, value) -> out.sample(name, labelNames, labels, value));
  }
}
