package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's process handling, against {@link StandInNode} instead of the real node. */
@MultiJvmTest
class NodeProcessHarnessTest {
  private static final Path LOGS = TestLogs.directory("NodeProcessHarnessTest");

  @TempDir
  Path clusterDir;

  private NodeSpec standIn(String name, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("STANDIN_CLUSTER_DIR", clusterDir.toString());
    return NodeSpec.create(name, NodeCommand.mainClass(StandInNode.class), env, LOGS);
  }

  @Test
  void startsNodesOnDistinctFreePortsAndReturnsOnceTheyAreReady() {
    NodeProcess first = NodeProcess.start(standIn("distinct-a", Map.of()));
    NodeProcess second = NodeProcess.start(standIn("distinct-b", Map.of()));

    assertTrue(first.readiness().isReady());
    assertTrue(second.isLive());
    Set<Integer> ports = Set.of(first.spec().httpPort(), first.spec().clusterPort(),
        second.spec().httpPort(), second.spec().clusterPort());
    assertEquals(4, ports.size(), "every port handed out once");
    assertEquals(1, first.logLinesContaining("Jobcluster node ready http=" + first.spec().httpAddress()).size());
  }

  @Test
  void awaitReadyKeepsPollingWhileTheNodeAnswers503() {
    NodeProcess node = NodeProcess.launch(standIn("slow", Map.of("STANDIN_READY_AFTER_MS", "2000")));

    Poll.until("the node answers, not ready yet", Duration.ofSeconds(30), () -> node.readiness().status() == 503);
    node.awaitReady();

    assertEquals(OptionalInt.of(1), node.readiness().members());
  }

  @Test
  void awaitReadyFailsAtOnceWithTheLogTailWhenTheNodeExits() {
    NodeProcess node = NodeProcess.launch(standIn("exits", Map.of("STANDIN_EXIT_CODE", "3")));
    long started = System.nanoTime();

    IllegalStateException failure = assertThrows(IllegalStateException.class, node::awaitReady);

    assertTrue(failure.getMessage().contains("exits exited with code 3"), failure.getMessage());
    assertTrue(failure.getMessage().contains("stand-in failing on purpose"), "log tail in the message");
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(NodeProcess.READY_TIMEOUT) < 0);
    assertTrue(node.crashed());
  }

  @Test
  void awaitReadyFailsAtItsDeadlineWithTheLastAnswer() {
    NodeProcess node = NodeProcess.launch(standIn("never-ready", Map.of("STANDIN_READY_AFTER_MS", "600000")));

    AssertionError failure = assertThrows(AssertionError.class, () -> node.awaitReady(Duration.ofSeconds(3)));

    assertTrue(failure.getMessage().contains("never-ready not ready within PT3S"), failure.getMessage());
    assertTrue(failure.getMessage().contains("{\"status\":\"starting\"}") || failure.getMessage().contains("unreachable"));
    assertTrue(node.isAlive(), "a slow node is left for the test to decide");
  }

  @Test
  void kill9EndsTheJvmAtOnce() {
    NodeProcess node = NodeProcess.start(standIn("killed", Map.of()));

    assertEquals(137, node.kill9());

    assertFalse(node.isAlive());
    assertFalse(node.isLive());
    assertFalse(node.crashed(), "the test asked for it");
    assertFalse(ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void terminateLetsTheJvmRunItsShutdownHooks() {
    NodeProcess node = NodeProcess.start(standIn("terminated", Map.of()));

    assertEquals(143, node.terminate());

    assertEquals(1, node.logLinesContaining("stand-in node stopping").size());
  }

  @Test
  void terminateKillsANodeThatHangsInShutdownAndFails() {
    NodeProcess node = NodeProcess.start(standIn("hangs", Map.of("STANDIN_HANG_ON_SHUTDOWN", "true")));

    AssertionError failure = assertThrows(AssertionError.class, () -> node.terminate(Duration.ofSeconds(2)));

    assertTrue(failure.getMessage().contains("did not exit within PT2S after SIGTERM"), failure.getMessage());
    assertFalse(node.isAlive());
  }

  @Test
  void restartKeepsThePortsAndAppendsToTheSameLog() {
    NodeProcess node = NodeProcess.start(standIn("restarted", Map.of()));
    long firstPid = node.pid();
    NodeSpec before = node.spec();
    node.kill9();

    node.restart(Map.of(NodeEnv.SEED_NODES, "127.0.0.1:1"));

    assertNotEquals(firstPid, node.pid());
    assertEquals(before.httpPort(), node.spec().httpPort());
    assertEquals(before.clusterPort(), node.spec().clusterPort());
    assertEquals(2, node.logLinesContaining("Jobcluster node ready").size());
    assertEquals(1, node.logLinesContaining("stand-in seeds=127.0.0.1:1").size(), "the override reached the restart");
    assertTrue(node.expectedRunning());
  }

  @Test
  void restartStopsARunningNodeGracefullyFirst() {
    NodeProcess node = NodeProcess.start(standIn("rolled", Map.of()));

    node.restart();

    assertTrue(node.readiness().isReady());
    assertEquals(1, node.logLinesContaining("stand-in node stopping").size());
  }
}
