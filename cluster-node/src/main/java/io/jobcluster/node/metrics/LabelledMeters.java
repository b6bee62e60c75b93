package io.jobcluster.node.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * The meters of one name, one per combination of label values. Label values often come from users
 * (queue and job type names), so a name keeps at most {@value #MAX_SERIES} combinations; further
 * ones are counted under the value {@value #OVERFLOW} in every label. The meters are kept here, not
 * only in the registry, so the hot path finds its meter with one lookup.
 */
final class LabelledMeters<M extends Meter> {
  static final int MAX_SERIES = 500;
  static final String OVERFLOW = "_other";

  private final List<String> labelNames;
  private final Function<Tags, M> register;
  private final Map<List<String>, M> meters = new ConcurrentHashMap<>();

  /** @param register registers the meter of one label combination (given as tags) */
  LabelledMeters(List<String> labelNames, Function<Tags, M> register) {
    this.labelNames = List.copyOf(labelNames);
    this.register = register;
  }

  M with(String... labelValues) {
    if (labelValues.length != labelNames.size()) {
      throw new IllegalArgumentException("takes labels " + labelNames);
    }
    List<String> key = List.of(labelValues);
    M existing = meters.get(key);
    if (existing != null) {
      return existing;
    }
    if (meters.size() >= MAX_SERIES) {
      key = overflow(labelNames.size());
    }
    return meters.computeIfAbsent(key, values -> register.apply(tags(labelNames, values)));
  }

  /**
   * The samples of a gauge read in one go, under the same cap: beyond {@value #MAX_SERIES}
   * combinations the rest are merged into the {@value #OVERFLOW} one.
   */
  static Map<List<String>, Double> capped(Map<List<String>, Double> samples, BinaryOperator<Double> merge) {
    Map<List<String>, Double> kept = new LinkedHashMap<>();
    samples.forEach((labels, value) -> {
      List<String> key = kept.size() >= MAX_SERIES && !kept.containsKey(labels) ? overflow(labels.size()) : labels;
      kept.merge(key, value, merge);
    });
    return kept;
  }

  static Tags tags(List<String> labelNames, List<String> labelValues) {
    Tags tags = Tags.empty();
    for (int i = 0; i < labelNames.size(); i++) {
      tags = tags.and(labelNames.get(i), labelValues.get(i));
    }
    return tags;
  }

  private static List<String> overflow(int labels) {
    return Collections.nCopies(labels, OVERFLOW);
  }
}
