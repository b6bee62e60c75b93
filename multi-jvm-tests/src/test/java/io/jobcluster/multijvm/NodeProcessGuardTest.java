package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs small test classes through the JUnit engine and checks what {@link NodeProcessGuard} did.
 * The nested classes are only run from here: surefire skips nested classes.
 */
@MultiJvmTest
class NodeProcessGuardTest {
  private static final Path LOGS = TestLogs.directory("NodeProcessGuardTest");

  private static NodeProcess standIn(String name) {
    return NodeProcess.start(NodeSpec.create(name, NodeCommand.mainClass(StandInNode.class), Map.of(), LOGS));
  }

  @MultiJvmTest
  static class FailsWithANodeRunning {
    static NodeProcess node;

    @Test
    void fails() {
      node = standIn("left-by-failing-test");
      fail("on purpose");
    }
  }

  @MultiJvmTest
  static class PassesWithANodeRunning {
    static NodeProcess node;
    static boolean aliveAfterTheTest;

    @Test
    void passes() {
      node = standIn("left-by-passing-test");
    }

    // Runs before the guard's after-class cleanup, so this sees what the after-test cleanup did.
    @AfterAll
    static void recordWhetherTheNodeOutlivedTheTest() {
      aliveAfterTheTest = node.isAlive();
    }
  }

  @MultiJvmTest
  static class SharesANodeAcrossTests {
    static NodeProcess node;

    @BeforeAll
    static void startNode() {
      node = standIn("class-wide");
    }

    @Test
    void first() {
      assertTrue(node.isAlive());
    }

    @Test
    void second() {
      assertTrue(node.isAlive());
    }
  }

  @Test
  void failureCarriesTheLogTailOfTheNodesAndTheNodesAreKilled() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    EngineExecutionResults results;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      results = run(FailsWithANodeRunning.class);
    } finally {
      System.setOut(original);
    }

    Throwable failure = results.testEvents().failed().stream().findFirst().orElseThrow()
        .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    assertTrue(Arrays.stream(failure.getSuppressed()).anyMatch(logs -> logs instanceof NodeProcessGuard.NodeLogs
        && logs.getMessage().contains("---- left-by-failing-test")
        && logs.getMessage().contains("Jobcluster node ready")), "log tail attached to the failure");
    assertTrue(captured.toString(StandardCharsets.UTF_8).contains("Jobcluster node ready"), "log tail in the test output");
    assertFalse(FailsWithANodeRunning.node.isAlive());
  }

  @Test
  void nodesAPassingTestLeftRunningAreKilledAfterIt() {
    EngineExecutionResults results = run(PassesWithANodeRunning.class);

    assertEquals(1, results.testEvents().succeeded().count());
    assertFalse(PassesWithANodeRunning.aliveAfterTheTest);
  }

  @Test
  void nodesStartedForTheClassLastUntilTheClassIsDone() {
    EngineExecutionResults results = run(SharesANodeAcrossTests.class);

    assertEquals(2, results.testEvents().succeeded().count(), "alive in both tests");
    assertFalse(SharesANodeAcrossTests.node.isAlive());
  }

  private static EngineExecutionResults run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
  }
}
