package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The namespace network, with {@link StandInNode}s in it: the root namespace gets no address of
 * the lab, the test JVM reaches each node's API through loopback forwarders, nodes reach servers the
 * test JVM publishes on the hub address, a partition cuts node-to-node links only, packet filters
 * drop and count, and nothing the lab made outlives it. Needs root (skipped otherwise, with the reason).
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
  void nodesInNamespacesAreReachedThroughTheHubAndAPartitionCutsOnlyTheLinksBetweenThem() throws IOException {
    Path socketDir;
    try (NetworkLab lab = NetworkLab.create(PREFIX, 21, 2, true);
         NodeCluster cluster = NodeCluster.of("NetworkLabTest", NodeCommand.mainClass(StandInNode.class),
             Map.of("STANDIN_CLUSTER_DIR", clusterDir.toString())).placedBy(lab::node).start(2);
         ServerSocket echo = new ServerSocket(0, 50, InetAddress.getByName(NodeSpec.HOST))) {
      echoConnections(echo);
      NodeProcess first = cluster.node(0);
      NodeProcess second = cluster.node(1);
      assertEquals(lab.nodeAddress(1) + ":" + second.spec().clusterPort(), second.clusterAddress());
      assertEquals(List.of(), rootAddressesIn(lab), "the root namespace has no address of the lab's subnet");
      assertTrue(output("ip", "-n", lab.hubNamespace(), "-o", "-4", "addr").contains(lab.hostAddress() + "/24"), "the hub has it");
      assertEquals("127.0.0.1", second.spec().baseUri().getHost(), "the test JVM calls the API on loopback");
      assertTrue(second.readiness().isReady(), "the test JVM reaches the API on the node's own address through the gateway");
      assertEquals(200, second.http().get("/health/live").statusCode());
      String secondCluster = second.clusterAddress();
      String host = lab.publish(new InetSocketAddress(NodeSpec.HOST, echo.getLocalPort()));
      assertTrue(host.startsWith(lab.hostAddress() + ":"), host);
      assertTrue(echoes(lab, 0, host), "a node reaches a loopback server of the test JVM published on the hub address");
      assertTrue(connects(lab, 0, secondCluster), "node-0 reaches node-1");

      lab.isolate(1);
      assertFalse(connects(lab, 0, secondCluster), "node-0 cannot reach the isolated node-1");
      assertFalse(connects(lab, 1, first.clusterAddress()), "the isolated node-1 cannot reach node-0");
      assertTrue(echoes(lab, 1, host), "the isolated node still reaches the hub address (database, ledger)");
      assertTrue(second.readiness().isReady(), "the test JVM still reaches the isolated node");
      lab.heal();
      assertTrue(connects(lab, 0, secondCluster), "healed");

      lab.dropPackets(1, second.spec().clusterPort(), 100);
      assertFalse(connects(lab, 0, secondCluster), "every packet to node-1's cluster port dropped");
      NetworkLab.FilterCounts counts = lab.filterCounts();
      assertTrue(counts.dropped() > 0 && counts.dropped() == counts.seen(), counts.toString());
      lab.stopDroppingPackets();
      assertTrue(connects(lab, 0, secondCluster), "filters removed");
      socketDir = lab.socketDirectory();
    }
    assertEquals(List.of(), leftovers(), "the lab removed its namespaces and bridge");
    assertFalse(Files.exists(socketDir), "the lab removed its socket files");
  }

  @Test
  void aLabRemovesTheLeftoversOfAnEarlierRunWithItsPrefix() {
    run("ip", "netns", "add", PREFIX + "-n0");
    run("ip", "netns", "add", PREFIX + "-hub");
    // A bridge of the layout before the hub namespace, in the root namespace.
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

  /** Whether node {@code i} sends a line to {@code hostPort} and reads it back within 2 s. */
  private static boolean echoes(NetworkLab lab, int i, String hostPort) {
    String[] parts = hostPort.split(":");
    return run("ip", "netns", "exec", lab.namespace(i), "timeout", "2", "bash", "-c",
        "exec 3<>/dev/tcp/" + parts[0] + "/" + parts[1] + "; echo ping >&3; read -r line <&3; [ \"$line\" = ping ]") == 0;
  }

  /** The root namespace's addresses in the lab's subnet ({@code ip -o addr}, one line per address). */
  private static List<String> rootAddressesIn(NetworkLab lab) {
    String prefix = lab.hostAddress().substring(0, lab.hostAddress().lastIndexOf('.') + 1);
    return output("ip", "-o", "addr").lines().filter(line -> line.contains(" " + prefix)).toList();
  }

  /** Echoes what each connection sends, on daemon threads, until {@code server} closes. */
  private static void echoConnections(ServerSocket server) {
    daemon("echo-accept", () -> acceptEchoes(server));
  }

  private static void acceptEchoes(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket connection = server.accept();
        daemon("echo", () -> echo(connection));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void echo(Socket connection) {
    try (connection) {
      connection.getInputStream().transferTo(connection.getOutputStream());
    } catch (IOException e) {
      // The node's side went away: nothing more to echo.
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
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
