package io.jobcluster.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The whole benchmark end to end at its quick sizes, into target/ (never docs/): real node JVMs,
 * the load generator's and db-scheduler's JVMs, one PostgreSQL. It checks that the run is correct
 * and the report complete; it never asserts a speed.
 */
class BenchSmokeTest {
  private static final Path OUT = Path.of("target", "bench-smoke");

  @Test
  void aQuickRunCompletesEveryJobAndReportsEveryScenarioForBothSystems() throws Exception {
    deleteRecursively(OUT);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    BenchOptions options = BenchOptions.parse("--quick", "--out", OUT.toString(), "--work", OUT.resolve("work").toString())
        .withSizes(Sizes.SMOKE);
    Path report = new Orchestrator(options,
        new PrintStream(console, true, StandardCharsets.UTF_8)).run();

    String md = Files.readString(report);
    String progress = console.toString(StandardCharsets.UTF_8);
    assertFalse(md.contains("FAILED"), "a scenario failed:\n" + progress + "\n" + md);
    for (String id : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")) {
      assertTrue(md.contains("\n## " + id + ". "), "no section " + id);
    }
    JsonNode results = BenchJson.MAPPER.readTree(OUT.resolve("performance/results.json").toFile()).path("scenarios");
    for (String system : List.of("jobcluster", "dbScheduler")) {
      for (JsonNode run : results.path("a-burn-down").path(system)) {
        assertEquals(run.path("jobs").asLong(), run.path("accepted").asLong(), system + " accepted every job");
        assertTrue(run.path("allDoneEpochMillis").asLong() > 0, system + " completed every job");
        assertTrue(run.path("db").path("commits").asLong() > 0, system + "'s commits were counted");
      }
    }
    for (JsonNode run : results.path("h-three-nodes")) {
      assertTrue(run.path("allDoneEpochMillis").asLong() > 0, run.path("nodes") + " node(s) completed every job");
    }
    assertTrue(md.contains("| Jobcluster | 1 |") && md.contains("| db-scheduler | 1 |"), "a has both systems");
    for (String section : List.of("## c.", "## d.")) {
      String part = md.substring(md.indexOf(section));
      assertTrue(part.contains("| Jobcluster |") && part.contains("| db-scheduler |"), section + " has both systems");
    }
    for (String plot : List.of("a-throughput", "c-jobcluster", "c-db-scheduler", "d-jobcluster", "d-db-scheduler")) {
      assertTrue(Files.size(OUT.resolve("performance/" + plot + ".png")) > 0, plot);
    }
    for (JsonNode run : results.path("c-d-latency").path("jobclusterStart")) {
      assertEquals(0, run.path("callbacksMissing").asLong(), "every accepted callback job ran");
    }
    JsonNode fired = results.path("i-delayed").path("firing").path("lateness");
    assertEquals(fired.path("expected").asLong(), fired.path("arrived").asLong(), "every delayed callback job ran");
    assertEquals(0, fired.path("early").asLong(), "no job fired before its runAt");
  }

  /** A previous run's plots and results must not pass for this run's. */
  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
