package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a node's host turns into its addresses, environment and command line. */
class NodeHostTest {
  private static final Path LOGS = Path.of("target/node-logs/NodeHostTest");
  private static final NodeCommand JAVA = new NodeCommand(List.of("-Xmx64m"), List.of("-jar", "node.jar"));

  @Test
  void aLoopbackNodeBindsAndAdvertises127001AndRunsJavaAsIs() {
    NodeSpec spec = NodeSpec.withPorts("node-0", JAVA, NodeHost.LOOPBACK, 8080, 25520, Map.of(), LOGS);

    assertEquals("127.0.0.1:25520", spec.clusterAddress());
    assertEquals("127.0.0.1", spec.processEnv().get(NodeEnv.CLUSTER_HOST));
    assertEquals(JAVA.commandLine(), spec.commandLine());
  }

  @Test
  void aNamespacedNodeRunsThroughItsLauncherOnItsOwnAddress() {
    NodeHost host = new NodeHost("198.18.13.10", List.of("ip", "netns", "exec", "jch-n0"), null, 0);
    NodeSpec spec = NodeSpec.withPorts("node-0", JAVA, host, 8080, 25520, Map.of(), LOGS);

    assertEquals("198.18.13.10:25520", spec.clusterAddress());
    assertEquals("198.18.13.10:8080", spec.httpAddress());
    assertEquals("http://198.18.13.10:" + spec.managementPort(), spec.managementUri().toString());
    assertEquals(List.of("ip", "netns", "exec", "jch-n0"), spec.commandLine().subList(0, 4));
    assertFalse(spec.commandLine().stream().anyMatch(arg -> arg.startsWith("-Dpekko.remote.artery.bind")));
    assertEquals(Map.of(NodeEnv.HTTP_HOST, "198.18.13.10", NodeEnv.CLUSTER_HOST, "198.18.13.10", NodeEnv.CLUSTER_PORT, "25520",
        NodeEnv.MANAGEMENT_HOST, "198.18.13.10"), pick(spec.processEnv()));
  }

  @Test
  void aRelayedNodeAdvertisesTheRelayAndBindsItsOwnAddress() {
    NodeHost host = new NodeHost("198.18.14.10", List.of("ip", "netns", "exec", "jci-n0"), "198.18.14.1", 41000);
    NodeSpec spec = NodeSpec.withPorts("node-0", JAVA, host, 8080, 25520, Map.of(), LOGS);

    assertEquals("198.18.14.1:41000", spec.clusterAddress());
    assertEquals("198.18.14.10:8080", spec.httpAddress());
    assertEquals(Map.of(NodeEnv.HTTP_HOST, "198.18.14.10", NodeEnv.CLUSTER_HOST, "198.18.14.1", NodeEnv.CLUSTER_PORT, "41000",
        NodeEnv.MANAGEMENT_HOST, "198.18.14.10"), pick(spec.processEnv()));
    assertTrue(spec.commandLine().containsAll(
        List.of("-Dpekko.remote.artery.bind.hostname=198.18.14.10", "-Dpekko.remote.artery.bind.port=25520")), spec.commandLine().toString());
  }

  @Test
  void theTestJvmCallsANodeWhereItsReachSays() {
    NodeHost.Reach nextPortOnLoopback = (address, port) -> "127.0.0.1:" + (port + 1);
    NodeHost host = new NodeHost("198.18.13.10", List.of("ip", "netns", "exec", "jch-n0"), null, 0, nextPortOnLoopback);
    NodeSpec spec = NodeSpec.withPorts("node-0", JAVA, host, 8080, 25520, Map.of(), LOGS);

    assertEquals("198.18.13.10:8080", spec.httpAddress());
    assertEquals("http://127.0.0.1:8081", spec.baseUri().toString());
    assertEquals("http://127.0.0.1:" + (spec.managementPort() + 1), spec.managementUri().toString());
    assertEquals("198.18.13.10", spec.processEnv().get(NodeEnv.HTTP_HOST));
  }

  private static Map<String, String> pick(Map<String, String> env) {
    return Map.of(NodeEnv.HTTP_HOST, env.get(NodeEnv.HTTP_HOST), NodeEnv.CLUSTER_HOST, env.get(NodeEnv.CLUSTER_HOST),
        NodeEnv.CLUSTER_PORT, env.get(NodeEnv.CLUSTER_PORT), NodeEnv.MANAGEMENT_HOST, env.get(NodeEnv.MANAGEMENT_HOST));
  }
}
