package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReliabilityReportTest {
  @TempDir
  Path target;

  @Test
  void rowsFromSeveralRunsMeetInOneTableOrderedByScenarioWithTheLatestRowOfEach() throws IOException {
    ReliabilityReport.record(target, row("c. SIGTERM", 10, "first c"));
    ReliabilityReport.record(target, row("a. three nodes", 5, "a"));
    Path report = ReliabilityReport.record(target, row("c. SIGTERM", 20, "second c"));

    List<String> lines = Files.readAllLines(report).stream().filter(line -> line.startsWith("| ") && !line.startsWith("| scenario")).toList();
    assertEquals(2, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).startsWith("| a. three nodes | 5 |"), lines.get(0));
    assertTrue(lines.get(1).startsWith("| c. SIGTERM | 20 |"), lines.get(1));
    assertTrue(lines.get(1).contains("second c"), lines.get(1));
  }

  @Test
  void cellsCannotBreakTheTable() throws IOException {
    Path report = ReliabilityReport.record(target, row("d. pipes", 1, "a | b\nc"));

    String line = Files.readAllLines(report).stream().filter(l -> l.startsWith("| d.")).findFirst().orElseThrow();
    assertTrue(line.contains("a \\| b c"), line);
  }

  private static ReliabilityReport.Row row(String scenario, int submitted, String notes) {
    return new ReliabilityReport.Row(scenario, submitted, submitted, submitted, 0, "none", "n/a", "1.0 s", notes, "2025-01-01T00:00:00Z");
  }
}
