package io.jobcluster.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One scenario's part of the report: how it was measured, its tables and plots, notes (what went
 * wrong or needs reading with care), and the targets it speaks to.
 *
 * @param loadBefore the machine's 1-minute load average when the scenario began
 */
public record Section(String id, String title, String loadBefore, List<String> method, List<Table> tables, List<Plot> plots,
                      List<String> notes, List<TargetCheck> targets) {
  public Section {
    method = List.copyOf(method);
    tables = List.copyOf(tables);
    plots = List.copyOf(plots);
    notes = List.copyOf(notes);
    targets = List.copyOf(targets);
  }

  /** A rectangular table; every row has a cell per header. */
  public record Table(String caption, List<String> header, List<List<String>> rows) {
    public Table {
      header = List.copyOf(header);
      rows = rows.stream().map(List::copyOf).toList();
      for (List<String> row : rows) {
        if (row.size() != header.size()) {
          throw new IllegalArgumentException("row " + row + " does not fit header " + header);
        }
      }
    }
  }

  /** A PNG next to the report; {@code file} is relative to the report. */
  public record Plot(String title, String file) {}

  /** Collects a section's parts while a scenario runs. */
  public static final class Builder {
    private final String id;
    private final String title;
    private final String loadBefore;
    private final List<String> method = new ArrayList<>();
    private final List<Table> tables = new ArrayList<>();
    private final List<Plot> plots = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<TargetCheck> targets = new ArrayList<>();

    public Builder(String id, String title, String loadBefore) {
      this.id = id;
      this.title = title;
      this.loadBefore = loadBefore;
    }

    public Builder method(String line) {
      method.add(line);
      return this;
    }

    public Builder table(Table table) {
      tables.add(table);
      return this;
    }

    public Builder plot(Plot plot) {
      plots.add(plot);
      return this;
    }

    public Builder note(String line) {
      notes.add(line);
      return this;
    }

    public Builder target(TargetCheck target) {
      targets.add(target);
      return this;
    }

    public Section build() {
      return new Section(id, title, loadBefore, method, tables, plots, notes, targets);
    }
  }
}
