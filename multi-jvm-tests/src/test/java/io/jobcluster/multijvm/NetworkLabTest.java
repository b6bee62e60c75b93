package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The namespace network, with {@link StandInNode}s in it: the test JVM reaches each node's API on
 * its own address, a partition cuts node-to-node links only, packet filters drop and count, and
 * nothing the lab made outlives it. Needs root (skipped otherwise, with the reason).
 */
@MultiJvmTest
class NetworkLabTest {
  private static final String PREFIX = "jclt";

  @TempDir
  Path clusterDir;

  @BeforeAll
  static void needsRoot() {
    NetworkLab.assumeRoot();
  }

  @Test
  void nodesInNamespacesAreReachedOnTheirAddressesAndAPartitionCutsOnlyTheLinksBetweenThem() throws IOException {
    try (NetworkLab lab = NetworkLab.create(PREFIX, 21, 2, true);
         NodeCluster cluster = NodeCluster.of("NetworkLabTest", NodeCommand.mainClass(StandInNode.class),
             Map.of("STANDIN_CLUSTER_DIR", clusterDir.toString())).placedBy(lab::node).start(2);
         ServerSocket onHost = new ServerSocket(0, 50, InetAddress.getByName(lab.hostAddress()))) {
      NodeProcess first = cluster.node(0);
      NodeProcess second = cluster.node(1);
      assertEquals(lab.nodeAddress(1) + ":" + second.spec().clusterPort(), second.clusterAddress());
      assertTrue(second.readiness().isReady(), "the test JVM reaches the API on the node's own address");
      String secondCluster = second.clusterAddress();
      String host = lab.hostAddress() + ":" + onHost.getLocalPort();
      assertTrue(connects(lab, 0, secondCluster), "node-0 reaches node-1");

      lab.isolate(1);
      assertFalse(connects(lab, 0, secondCluster), "node-0 cannot reach the isolated node-1");
      assertFalse(connects(lab, 1, first.clusterAddress()), "the isolated node-1 cannot reach node-0");
      assertTrue(connects(lab, 1, host), "the isolated node still reaches the host address (database, ledger)");
      assertTrue(second.readiness().isReady(), "the test JVM still reaches the isolated node");
      lab.heal();
      assertTrue(connects(lab, 0, secondCluster), "healed");

      lab.dropPackets(1, second.spec().clusterPort(), 100);
      assertFalse(connects(lab, 0, secondCluster), "every packet to node-1's cluster port dropped");
      NetworkLab.FilterCounts counts = lab.filterCounts();
      assertTrue(counts.dropped() > 0 && counts.dropped() == counts.seen(), counts.toString());
      lab.stopDroppingPackets();
      assertTrue(connects(lab, 0, secondCluster), "filters removed");
    }
    assertEquals(List.of(), leftovers(), "the lab removed its namespaces and bridge");
  }

  @Test
  void aLabRemovesTheLeftoversOfAnEarlierRunWithItsPrefix() {
    run("ip", "netns", "add", PREFIX + "-n0");
    run("ip", "link", "add", PREFIX + "-br", "type", "bridge");

    try (NetworkLab lab = NetworkLab.create(PREFIX, 21, 1, false)) {
      // Made anew (the old ones would have made "ip netns add" and "ip link add" fail): with the lab's address.
      assertTrue(output("ip", "-n", lab.namespace(0), "addr", "show", "eth0").contains(lab.nodeAddress(0)));
    }
    assertEquals(List.of(), leftovers());
  }

  /** Whether a TCP connection from node {@code i}'s namespace to {@code hostPort} opens within 2 s. */
  private static boolean connects(NetworkLab lab, int i, String hostPort) {
    String[] parts = hostPort.split(":");
    return run("ip", "netns", "exec", lab.namespace(i), "timeout", "2", "bash", "-c",
        "exec 3<>/dev/tcp/" + parts[0] + "/" + parts[1]) == 0;
  }

  /** This test's namespaces and bridge that exist now. */
  private static List<String> leftovers() {
    List<String> namespaces = output("ip", "netns", "list").lines().map(line -> line.split("\\s+")[0])
        .filter(name -> name.startsWith(PREFIX + "-")).toList();
    boolean bridge = run("ip", "link", "show", PREFIX + "-br") == 0;
    return bridge ? Stream.concat(namespaces.stream(), Stream.of(PREFIX + "-br")).toList() : namespaces;
  }

  private static int run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String output(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(10, TimeUnit.SECONDS);
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
