package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Cluster handling: seeds, membership waits, crash detection, cleanup; against {@link StandInNode}. */
@MultiJvmTest
class NodeClusterHarnessTest {
  @TempDir
  Path clusterDir;

  private NodeCluster standIns(TestInfo test) {
    return standIns(test, Map.of());
  }

  private NodeCluster standIns(TestInfo test, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("STANDIN_CLUSTER_DIR", clusterDir.toString());
    return NodeCluster.of("NodeClusterHarnessTest-" + test.getTestMethod().orElseThrow().getName(),
        NodeCommand.mainClass(StandInNode.class), env);
  }

  @Test
  void startedNodesAreReadyAndSeededByTheFirstNode(TestInfo test) {
    try (NodeCluster cluster = standIns(test).start(3)) {
      String seed = cluster.node(0).clusterAddress();
      for (NodeProcess node : cluster.nodes()) {
        assertEquals(OptionalInt.of(3), node.readiness().members());
        assertEquals(1, node.logLinesContaining("stand-in seeds=" + seed).size(), node.name());
      }
    }
  }

  @Test
  void clusterPortsAscendSoTheFirstNodeHasTheLowestAddress(TestInfo test) {
    // Five nodes: free ports come in random order, so an unsorted start passes by chance 1 in 120.
    try (NodeCluster cluster = standIns(test).start(5)) {
      List<Integer> ports = cluster.nodes().stream().map(node -> node.spec().clusterPort()).toList();
      assertEquals(ports.stream().sorted().toList(), ports);
    }
  }

  @Test
  void addedNodeIsSeededByTheRunningNodes(TestInfo test) {
    try (NodeCluster cluster = standIns(test).start(2)) {
      NodeProcess added = cluster.addNode();
      cluster.awaitMembers(3);

      String seeds = cluster.node(0).clusterAddress() + "," + cluster.node(1).clusterAddress();
      assertEquals(1, added.logLinesContaining("stand-in seeds=" + seeds).size());
    }
  }

  @Test
  void membersCountOnlyTheNodesLeftAfterAKill(TestInfo test) {
    try (NodeCluster cluster = standIns(test).start(3)) {
      cluster.node(2).kill9();

      cluster.awaitMembers(2);

      assertEquals(List.of(cluster.node(0), cluster.node(1)), cluster.running());
    }
  }

  @Test
  void restartedFirstNodeIsSeededByTheSurvivors(TestInfo test) {
    try (NodeCluster cluster = standIns(test).start(2)) {
      cluster.node(0).kill9();

      cluster.restart(0);
      cluster.awaitMembers(2);

      assertEquals(1, cluster.node(0).logLinesContaining("stand-in seeds=" + cluster.node(1).clusterAddress()).size());
    }
  }

  @Test
  void awaitMembersFailsAtOnceWhenANodeDiesUnasked(TestInfo test) {
    try (NodeCluster cluster = standIns(test).start(2)) {
      // Killed behind the harness's back, as a crash would be.
      ProcessHandle.of(cluster.node(1).pid()).orElseThrow().destroyForcibly();
      Poll.until("node-1 is gone", NodeProcess.EXIT_TIMEOUT, () -> !cluster.node(1).isAlive());

      IllegalStateException failure = assertThrows(IllegalStateException.class, () -> cluster.awaitMembers(2));

      assertTrue(failure.getMessage().startsWith("node-1 exited with code 137"), failure.getMessage());
      assertTrue(cluster.node(1).crashed());
    }
  }

  @Test
  void startKillsTheNodesItStartedWhenOneNeverGetsReady(TestInfo test) {
    NodeCluster cluster = standIns(test, Map.of("STANDIN_NON_SEED_EXIT_CODE", "3"));

    IllegalStateException failure = assertThrows(IllegalStateException.class, () -> cluster.start(2));

    assertTrue(failure.getMessage().startsWith("node-1 exited with code 3"), failure.getMessage());
    assertFalse(cluster.node(0).isAlive(), "the healthy seed is not left behind");
  }

  @Test
  void closeKillsEveryNode(TestInfo test) {
    NodeCluster cluster = standIns(test).start(2);

    cluster.close();

    for (NodeProcess node : cluster.nodes()) {
      assertFalse(ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive).orElse(false), node.name());
    }
  }
}
