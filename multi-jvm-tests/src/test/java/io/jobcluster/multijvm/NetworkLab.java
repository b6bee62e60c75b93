package io.jobcluster.multijvm;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Nodes on separate network hosts on one machine: a network namespace per node, joined by veth
 * pairs to a bridge, each node its own address in a private test subnet, so the network between
 * two nodes can be cut ({@link #isolate}) or made lossy ({@link #dropPackets}) while everything
 * else flows. Layout, for prefix {@code jch} and subnet {@code 198.18.13.0/24}:
 *
 * <pre>
 *   test JVM (root namespace): bridge jch-br, 198.18.13.1 = {@link #hostAddress()}
 *     ├─ the execution ledger (http jobs call it), on 198.18.13.1
 *     ├─ a relay publishing the test's PostgreSQL (127.0.0.1 only) on 198.18.13.1 ({@link #publish})
 *     └─ relays for delayed cluster links, on 198.18.13.1 ({@link #relayedNode})
 *   namespace jch-n0: eth0 198.18.13.10 ── veth jch-n0h ── jch-br      node-0: API, management, cluster
 *   namespace jch-n1: eth0 198.18.13.11 ── veth jch-n1h ── jch-br      node-1
 *   ...
 * </pre>
 *
 * The subnet is from 198.18.0.0/15, which RFC 2544 reserves for network tests: no real network
 * uses it. The test JVM reaches the nodes' API and management ports over the bridge; the nodes
 * reach the ledger and the database at the bridge's address. Every name and address here is made
 * by the lab and removed by {@link #close()} (also from a shutdown hook), and leftovers of an
 * earlier run that crashed are removed before a lab of the same prefix is made.
 *
 * <p>Needs root (CAP_NET_ADMIN) and {@code ip} (iproute2); {@link #dropPackets} also needs
 * {@code nft} (nftables). Partitions use blackhole routes, which need no packet filter.
 */
public final class NetworkLab implements AutoCloseable {
  private static final String SUBNET_PREFIX = "198.18.";
  private static final int FIRST_NODE_OCTET = 10;
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final String FILTER_TABLE = "jobcluster_lab";
  private static final Pattern COUNTER = Pattern.compile("counter packets (\\d+) bytes");

  private final String prefix;
  private final String subnet;
  private final int nodes;
  private final List<String[]> blackholes = new CopyOnWriteArrayList<>();
  private final List<TcpRelay> relays = new CopyOnWriteArrayList<>();
  private final List<TcpRelay> clusterRelays = new CopyOnWriteArrayList<>();
  private final Thread cleanupOnExit = new Thread(this::removeAll, "remove-network-lab");
  private volatile boolean closed;

  private NetworkLab(String prefix, int subnetOctet, int nodes) {
    this.prefix = prefix;
    this.subnet = SUBNET_PREFIX + subnetOctet + ".";
    this.nodes = nodes;
  }

  /**
   * Skips the calling test (a JUnit assumption, never a silent pass) unless this JVM runs as root:
   * network namespaces need CAP_NET_ADMIN. CI runs as root.
   */
  public static void assumeRoot() {
    Assumptions.assumeTrue(new UnixSystem().getUid() == 0, "needs root for ip netns; CI runs as root");
  }

  /**
   * Makes the bridge and {@code nodes} namespaces with their addresses in {@code 198.18.<subnetOctet>.0/24};
   * names start with {@code prefix} (at most 8 characters: interface names are short). Fails with
   * what to install when {@code ip}, or {@code nft} if {@code needsPacketFilter}, is missing.
   */
  public static NetworkLab create(String prefix, int subnetOctet, int nodes, boolean needsPacketFilter) {
    if (prefix.length() > 8 || !prefix.matches("[a-z][a-z0-9]*") || nodes < 1 || nodes > 9 || subnetOctet < 0 || subnetOctet > 255) {
      throw new IllegalArgumentException("prefix [a-z][a-z0-9]{0,7}, 1-9 nodes, subnet octet 0-255");
    }
    requireTool("ip", "iproute2");
    if (needsPacketFilter) {
      requireTool("nft", "nftables");
    }
    NetworkLab lab = new NetworkLab(prefix, subnetOctet, nodes);
    lab.removeLeftovers();
    Runtime.getRuntime().addShutdownHook(lab.cleanupOnExit);
    try {
      lab.build();
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /** The test JVM's address on the bridge: where the ledger, the database relay and cluster relays listen. */
  public String hostAddress() {
    return subnet + "1";
  }

  /** Node {@code i}'s own address, inside its namespace. */
  public String nodeAddress(int i) {
    return subnet + (FIRST_NODE_OCTET + checkIndex(i));
  }

  public String namespace(int i) {
    return prefix + "-n" + checkIndex(i);
  }

  /** The subnet in CIDR form, for settings such as {@code JOBCLUSTER_HTTP_ALLOWED_HOSTS}. */
  public String subnet() {
    return subnet + "0/24";
  }

  /** Node {@code i} in its namespace, bound to and reached at its own address. */
  public NodeHost node(int i, int clusterPort) {
    return new NodeHost(nodeAddress(i), List.of("ip", "netns", "exec", namespace(i)), null, 0);
  }

  /**
   * Node {@code i} in its namespace, advertising a relay on {@link #hostAddress()} as its cluster
   * address: every byte another node sends it passes the relay, which holds it for
   * {@link #setClusterDelay the cluster delay}. The node binds its own address; its API is reached directly.
   * Relay ports do not ascend with the index, so node-0 is not the lowest cluster address (which
   * only an even split would ask for).
   */
  public NodeHost relayedNode(int i, int clusterPort) {
    TcpRelay relay = TcpRelay.start(hostAddress(), new InetSocketAddress(nodeAddress(i), clusterPort), Duration.ZERO);
    relays.add(relay);
    clusterRelays.add(relay);
    return new NodeHost(nodeAddress(i), node(i, clusterPort).launcher(), hostAddress(), relay.port());
  }

  /** One-way delay of every cluster link between relayed nodes, from now on (bytes already held keep theirs). */
  public void setClusterDelay(Duration delay) {
    clusterRelays.forEach(relay -> relay.setDelay(delay));
  }

  /** Publishes {@code target} (a loopback server of the test JVM's network) on {@link #hostAddress()}; returns the relay. */
  public TcpRelay publish(InetSocketAddress target) {
    TcpRelay relay = TcpRelay.start(hostAddress(), target, Duration.ZERO);
    relays.add(relay);
    return relay;
  }

  /**
   * Cuts node {@code i} off from every other node, both ways, with blackhole routes in its
   * namespace and theirs; the bridge's address (ledger, database, the test's API calls) stays reachable.
   */
  public void isolate(int i) {
    for (int other = 0; other < nodes; other++) {
      if (other != i) {
        blackhole(i, nodeAddress(other));
        blackhole(other, nodeAddress(i));
      }
    }
  }

  /** Removes every partition made by {@link #isolate}. */
  public void heal() {
    for (String[] route : blackholes) {
      run("ip", "-n", route[0], "route", "del", "blackhole", route[1]);
    }
    blackholes.clear();
  }

  /**
   * Drops {@code percent} % of the TCP packets, chosen at random, to and from {@code port} in node
   * {@code i}'s namespace (an nftables table of the lab's own): with a node's cluster port, every
   * packet of every cluster connection to that node, in both directions, may be lost.
   */
  public void dropPackets(int i, int port, int percent) {
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException("percent 1-100: " + percent);
    }
    // numgen draws 0-99; 100 % needs no draw.
    String chance = percent == 100 ? "" : "numgen random mod 100 < " + percent + " ";
    // Each chain counts every packet of the port, then the ones it drops: filterCounts() reads both.
    String rules = "table inet " + FILTER_TABLE + " {\n"
        + "  chain input { type filter hook input priority 0; policy accept;\n"
        + "    tcp dport " + port + " counter\n"
        + "    tcp dport " + port + " " + chance + "counter drop\n  }\n"
        + "  chain output { type filter hook output priority 0; policy accept;\n"
        + "    tcp sport " + port + " counter\n"
        + "    tcp sport " + port + " " + chance + "counter drop\n  }\n"
        + "}\n";
    runWithInput(rules, "ip", "netns", "exec", namespace(i), "nft", "-f", "-");
  }

  /** Packets the filters of {@link #dropPackets} saw and dropped, over every namespace. */
  public record FilterCounts(long seen, long dropped) {}

  /** What the filters of {@link #dropPackets} counted so far (read before {@link #stopDroppingPackets()}). */
  public FilterCounts filterCounts() {
    long seen = 0;
    long dropped = 0;
    for (int i = 0; i < nodes; i++) {
      for (String line : tryRun("ip", "netns", "exec", namespace(i), "nft", "list", "table", "inet", FILTER_TABLE).lines().toList()) {
        Matcher counter = COUNTER.matcher(line);
        if (counter.find()) {
          long packets = Long.parseLong(counter.group(1));
          if (line.contains("drop")) {
            dropped += packets;
          } else {
            seen += packets;
          }
        }
      }
    }
    return new FilterCounts(seen, dropped);
  }

  /** Removes every packet filter {@link #dropPackets} made. */
  public void stopDroppingPackets() {
    for (int i = 0; i < nodes; i++) {
      if (!tryRun("ip", "netns", "exec", namespace(i), "nft", "list", "table", "inet", FILTER_TABLE).isEmpty()) {
        run("ip", "netns", "exec", namespace(i), "nft", "delete", "table", "inet", FILTER_TABLE);
      }
    }
  }

  /** Closes the relays and removes the namespaces (with their veth pairs) and the bridge. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    removeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs anyway, and removing again finds nothing.
    }
  }

  private synchronized void removeAll() {
    if (closed) {
      return;
    }
    closed = true;
    relays.forEach(TcpRelay::close);
    removeLeftovers();
  }

  private void build() {
    String bridge = prefix + "-br";
    List<String> inUse = tryRun("ip", "-o", "-4", "addr", "show", "to", subnet()).lines().filter(line -> !line.isBlank()).toList();
    if (!inUse.isEmpty()) {
      throw new IllegalStateException("the test subnet " + subnet() + " is in use on this machine: " + inUse);
    }
    run("ip", "link", "add", bridge, "type", "bridge");
    run("ip", "addr", "add", hostAddress() + "/24", "dev", bridge);
    run("ip", "link", "set", bridge, "up");
    for (int i = 0; i < nodes; i++) {
      String ns = namespace(i);
      String hostSide = ns + "h";
      run("ip", "netns", "add", ns);
      run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", ns);
      run("ip", "link", "set", hostSide, "master", bridge, "up");
      run("ip", "-n", ns, "addr", "add", nodeAddress(i) + "/24", "dev", "eth0");
      run("ip", "-n", ns, "link", "set", "eth0", "up");
      // A node's own loopback: the JVM and pekko expect one.
      run("ip", "-n", ns, "link", "set", "lo", "up");
    }
  }

  /** Namespaces and the bridge named by this prefix: this lab's, or an earlier run's that crashed. */
  private void removeLeftovers() {
    Stream<String> namespaces = tryRun("ip", "netns", "list").lines()
        .map(line -> line.split("\\s+")[0])
        .filter(name -> name.matches(prefix + "-n[0-9]+"));
    namespaces.toList().forEach(ns -> run("ip", "netns", "del", ns));
    if (!tryRun("ip", "link", "show", prefix + "-br").isEmpty()) {
      run("ip", "link", "del", prefix + "-br");
    }
  }

  private void blackhole(int i, String address) {
    run("ip", "-n", namespace(i), "route", "add", "blackhole", address);
    blackholes.add(new String[] {namespace(i), address});
  }

  private int checkIndex(int i) {
    if (i < 0 || i >= nodes) {
      throw new IllegalArgumentException("node " + i + " of a lab of " + nodes);
    }
    return i;
  }

  private static void requireTool(String tool, String debianPackage) {
    boolean found = Stream.of(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"), new String[] {"/usr/sbin", "/sbin"})
        .flatMap(Stream::of).map(dir -> Path.of(dir, tool)).anyMatch(Files::isExecutable);
    if (!found) {
      throw new IllegalStateException(tool + " is missing: the network namespace scenarios need it; install it with "
          + "'apt-get install " + debianPackage + "' (.ci/run installs it when missing)");
    }
  }

  private static void run(String... command) {
    runWithInput(null, command);
  }

  private static void runWithInput(String input, String... command) {
    Result result = execute(input, command);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + result.exitCode() + ": " + result.output());
    }
  }

  /** The command's output, or empty if it failed. */
  private static String tryRun(String... command) {
    Result result = execute(null, command);
    return result.exitCode() == 0 ? result.output() : "";
  }

  private record Result(int exitCode, String output) {}

  private static Result execute(String input, String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (input != null) {
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
      }
      return new Result(process.exitValue(), output.strip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }
}
