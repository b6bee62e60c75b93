package io.jobcluster.multijvm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code target/reliability-report.md}: one row per scenario with what the scenario's load and
 * ledger measured. Each scenario's latest row is kept as a file of its own under
 * {@code target/reliability-report/}, and the report is rendered again from all of them after
 * every row, so test classes that run separately (or one at a time) end up in one table.
 */
public final class ReliabilityReport {
  /** Set by the module's pom to the build directory. */
  public static final String DIRECTORY_PROPERTY = "jobcluster.reliability.dir";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One scenario's figures.
   *
   * @param scenario its letter and name, such as {@code b. kill -9 one of three nodes under load}; rows sort by it
   * @param duplicates duplicate executions and where they ran first, as {@link LoadCheck.Verdict#duplicatesWhere}
   * @param recovery what the scenario measured, such as the time from a kill until the lost node's jobs ran again
   */
  public record Row(String scenario, int submitted, int acknowledged, int completed, int lost, String duplicates, String recovery,
                    String runTime, String notes, String recordedAt) {

    /** A row from a verdict; {@code nodeName} turns a cluster address into a node's name. */
    public static Row of(String scenario, LoadCheck.Verdict verdict, Function<String, String> nodeName, String recovery,
        Duration runTime, String notes) {
      return new Row(scenario, verdict.load().submitted(), verdict.acknowledged(), verdict.completed().size(), verdict.lost().size(),
          verdict.duplicatesWhere(nodeName), recovery, seconds(runTime), notes, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }
  }

  private ReliabilityReport() {}

  /** Keeps {@code row} as its scenario's latest and renders the report again; returns the report's path. */
  public static Path record(Row row) {
    return record(directory(), row);
  }

  static synchronized Path record(Path directory, Row row) {
    Path rows = directory.resolve("reliability-report");
    try {
      Files.createDirectories(rows);
      Path file = rows.resolve(slug(row.scenario()) + ".json");
      Path partial = rows.resolve(slug(row.scenario()) + ".json.tmp");
      JSON.writeValue(partial.toFile(), row);
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Path report = directory.resolve("reliability-report.md");
      Files.writeString(report, render(read(rows)), StandardCharsets.UTF_8);
      return report;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the reliability report under " + rows, e);
    }
  }

  /** Seconds with one decimal: {@code 12.3 s}. */
  public static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  static String render(List<Row> rows) {
    StringBuilder md = new StringBuilder()
        .append("# Reliability report\n\n")
        .append("Written by the multi-JVM chaos scenarios (`multi-jvm-tests`, see its README): the latest run of each scenario, ")
        .append("with real node JVMs on one machine and a throwaway PostgreSQL. Jobs are `http` calls to the test's execution ")
        .append("ledger, which counts executions and duplicates from outside the cluster; completion and losses are read through ")
        .append("the public API. Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(".\n\n")
        .append("| scenario | submitted | acknowledged | completed | lost | duplicate executions | recovery | run time | notes | recorded |\n")
        .append("|---|---:|---:|---:|---:|---|---|---:|---|---|\n");
    for (Row row : rows) {
      md.append("| ").append(cell(row.scenario()))
          .append(" | ").append(row.submitted())
          .append(" | ").append(row.acknowledged())
          .append(" | ").append(row.completed())
          .append(" | ").append(row.lost())
          .append(" | ").append(cell(row.duplicates()))
          .append(" | ").append(cell(row.recovery()))
          .append(" | ").append(cell(row.runTime()))
          .append(" | ").append(cell(row.notes()))
          .append(" | ").append(cell(row.recordedAt()))
          .append(" |\n");
    }
    return md.toString();
  }

  private static List<Row> read(Path rows) throws IOException {
    List<Row> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(rows)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
        all.add(JSON.readValue(file.toFile(), Row.class));
      }
    }
    all.sort(Comparator.comparing(Row::scenario));
    return all;
  }

  private static Path directory() {
    return Path.of(System.getProperty(DIRECTORY_PROPERTY, "target")).toAbsolutePath();
  }

  private static String slug(String scenario) {
    return scenario.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }
}
