package io.jobcluster.node.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A named metric with labels, one series per combination of label values. Label values often come
 * from users (queue and job type names), so a family holds at most {@value #MAX_SERIES} series;
 * further combinations are counted under the value {@value #OVERFLOW} in every label.
 */
abstract class MetricFamily<S> {
  static final int MAX_SERIES = 500;
  static final String OVERFLOW = "_other";

  final String name;
  final String help;
  final List<String> labelNames;
  final Map<List<String>, S> series = new ConcurrentHashMap<>();

  MetricFamily(String name, String help, List<String> labelNames) {
    this.name = name;
    this.help = help;
    this.labelNames = List.copyOf(labelNames);
  }

  abstract String type();

  /** Appends this family's samples in the Prometheus text format. */
  abstract void writeSamples(PrometheusText out);

  final S seriesFor(String[] labelValues, Supplier<S> create) {
    if (labelValues.length != labelNames.size()) {
      throw new IllegalArgumentException(name + " takes labels " + labelNames);
    }
    List<String> key = List.of(labelValues);
    S existing = series.get(key);
    if (existing != null) {
      return existing;
    }
    if (series.size() >= MAX_SERIES) {
      key = labelNames.stream().map(label -> OVERFLOW).toList();
    }
    return series.computeIfAbsent(key, k -> create.get());
  }
}
