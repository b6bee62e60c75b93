package io.jobcluster.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole report: how it was made, on what, with which settings, and a section per scenario.
 *
 * @param configuration blocks of settings by title (Jobcluster, db-scheduler, PostgreSQL, load generator)
 */
public record Report(String command, String generatedAt, Map<String, String> machine,
                     Map<String, Map<String, String>> configuration, List<Section> sections) {
  public Report {
    // Copies that keep the order the report prints them in.
    machine = Collections.unmodifiableMap(new LinkedHashMap<>(machine));
    configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
    sections = List.copyOf(sections);
  }

  /** Every section's targets, in section order. */
  public List<TargetCheck> targets() {
    return sections.stream().flatMap(section -> section.targets().stream()).toList();
  }
}
