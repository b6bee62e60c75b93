package io.jobcluster.node.metrics;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count, per combination of label values. */
public final class Counter extends MetricFamily<LongAdder> {

  Counter(String name, String help, List<String> labelNames) {
    super(name, help, labelNames);
  }

  public void inc(String... labelValues) {
    seriesFor(labelValues, LongAdder::new).increment();
  }

  /** The current count of one series (0 if it never counted). */
  public long value(String... labelValues) {
    LongAdder adder = series.get(List.of(labelValues));
    return adder == null ? 0 : adder.sum();
  }

  @Override
  String type() {
    return "counter";
  }

  @Override
  void writeSamples(PrometheusText out) {
    series.forEach((labels, count) -> out.sample(name, labelNames, labels, count.sum()));
  }
}
