package io.jobcluster.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The command line of bench/run.sh. */
class BenchOptionsTest {
  @Test
  void byDefaultEveryScenarioRunsFullSizeIntoDocs() {
    BenchOptions options = BenchOptions.parse();
    assertFalse(options.quick());
    assertEquals(BenchOptions.SCENARIOS, options.only());
    assertEquals(Path.of("docs"), options.out());
    assertEquals(Sizes.FULL, options.sizes());
    assertEquals(20_000, options.sizes().burnDownJobs());
    assertEquals("bash bench/run.sh", options.command());
  }

  @Test
  void quickOnlyAndOutAreRead() {
    BenchOptions options = BenchOptions.parse("--quick", "--only", "a, C", "--out", "target/x", "--work", "target/w");
    assertTrue(options.quick());
    assertEquals(Sizes.QUICK, options.sizes());
    assertEquals(Set.of("a", "c"), options.only());
    assertTrue(options.runs("b", "c"));
    assertFalse(options.runs("b", "d"));
    assertEquals(Path.of("target/x"), options.out());
    assertEquals(Path.of("target/w"), options.work());
    assertEquals("bash bench/run.sh --quick --only a, C --out target/x --work target/w", options.command());
  }

  @Test
  void mistakesAreRefusedWithTheUsage() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--fast")).getMessage().contains("usage"));
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--only", "a,z"));
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--out"));
  }
}
