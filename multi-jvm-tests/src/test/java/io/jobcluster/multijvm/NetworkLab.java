package io.jobcluster.multijvm;

import com.sun.security.auth.module.UnixSystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Nodes on separate network hosts on one machine: a network namespace per node, joined by veth
 * pairs to a bridge in a hub namespace, each node its own address in a private test subnet, so
 * the network between two nodes can be cut ({@link #isolate}) or made lossy ({@link #dropPackets})
 * while everything else flows. Layout, for prefix {@code jch} and subnet {@code 198.18.13.0/24}:
 *
 * <pre>
 *   test JVM (root namespace): loopback only
 *     ├─ ledger, PostgreSQL: on 127.0.0.1, served on Unix sockets too ({@link #publish})
 *     ├─ delaying relays for cluster links, on Unix sockets ({@link #relayedNode})
 *     └─ 127.0.0.1 forwarders to each node's API and management ports ({@link #reach})
 *          │  Unix domain sockets in a temporary directory (files: every namespace sees them)
 *   namespace jch-hub: bridge jch-br, 198.18.13.1 = {@link #hostAddress()}
 *     └─ {@link LabGateway}: 198.18.13.1:port → a Unix socket of the test JVM (ledger, database,
 *        cluster relays); its Unix socket → any node's address and port
 *   namespace jch-n0: eth0 198.18.13.10 ── veth jch-n0h ── jch-br (in jch-hub)   node-0
 *   namespace jch-n1: eth0 198.18.13.11 ── veth jch-n1h ── jch-br (in jch-hub)   node-1
 *   ...
 * </pre>
 *
 * The root namespace gets no address of the lab: every address outside loopback that any process
 * talks to lies inside a namespace the lab made. The subnet is from 198.18.0.0/15, which RFC 2544
 * reserves for network tests: no real network uses it. Nodes reach the ledger and the database at
 * the hub's address; the test JVM reaches the nodes' API and management ports on 127.0.0.1
 * ({@link NodeSpec#baseUri()}). Every name, address, process and socket file here is made by the
 * lab and removed by {@link #close()} (also from a shutdown hook), and leftovers of an earlier run
 * that crashed are removed before a lab of the same prefix is made (its gateway exits by itself
 * when the JVM that started it is gone).
 *
 * <p>Needs root (CAP_NET_ADMIN) and {@code ip} (iproute2); {@link #dropPackets} also needs
 * {@code nft} (nftables). Partitions use blackhole routes, which need no packet filter.
 */
public final class NetworkLab implements AutoCloseable {
  private static final String SUBNET_PREFIX = "198.18.";
  private static final int FIRST_NODE_OCTET = 10;
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final String FILTER_TABLE = "jobcluster_lab";
  private static final String GATEWAY_SOCKET = "gateway.sock";
  private static final Pattern COUNTER = Pattern.compile("counter packets (\\d+) bytes");

  private final String prefix;
  private final String subnet;
  private final int nodes;
  private final List<String[]> blackholes = new CopyOnWriteArrayList<>();
  private final List<TcpRelay> relays = new CopyOnWriteArrayList<>();
  private final List<TcpRelay> clusterRelays = new CopyOnWriteArrayList<>();
  private final Map<String, String> forwarders = new ConcurrentHashMap<>();
  private final AtomicInteger sockets = new AtomicInteger();
  private volatile Path socketDir;
  private volatile Process gateway;
  private BufferedReader gatewayAnswers;
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
   * Makes the hub namespace with the bridge and the gateway, and {@code nodes} namespaces with
   * their addresses in {@code 198.18.<subnetOctet>.0/24};
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

  /** The hub's address on the bridge, inside the hub namespace: where nodes reach the ledger, the database and cluster relays. */
  public String hostAddress() {
    return subnet + "1";
  }

  /** The namespace of the bridge and the gateway. */
  public String hubNamespace() {
    return prefix + "-hub";
  }

  /** The temporary directory of the lab's Unix domain sockets (removed by {@link #close()}). */
  public Path socketDirectory() {
    return socketDir;
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

  /** Node {@code i} in its namespace, bound to its own address; the test JVM reaches it through {@link #reach}. */
  public NodeHost node(int i, int clusterPort) {
    return new NodeHost(nodeAddress(i), launcher(i), null, 0, this::reach);
  }

  /**
   * Node {@code i} in its namespace, advertising a port of {@link #hostAddress()} as its cluster
   * address: the gateway passes every connection there to a relay in the test JVM, which holds
   * every byte for {@link #setClusterDelay the cluster delay} and passes it back through the
   * gateway to the node's own address. The node binds its own address; the test JVM reaches its
   * API through {@link #reach}. Relay ports do not ascend with the index, so node-0 is not the
   * lowest cluster address (which only an even split would ask for).
   */
  public NodeHost relayedNode(int i, int clusterPort) {
    Path socket = newSocketPath("cluster-" + i);
    TcpRelay relay = TcpRelay.start(TcpRelay.listenUnix(socket), intoLab(nodeAddress(i) + ":" + clusterPort), Duration.ZERO);
    relays.add(relay);
    clusterRelays.add(relay);
    return new NodeHost(nodeAddress(i), launcher(i), hostAddress(), publishSocket(socket), this::reach);
  }

  /**
   * {@code host:port} on 127.0.0.1 where the test JVM reaches {@code port} of {@code address} in the
   * lab: a forwarder to the gateway, made on the first call and kept until {@link #close()}.
   */
  public String reach(String address, int port) {
    return forwarders.computeIfAbsent(address + ":" + port, this::forwarderTo);
  }

  private String forwarderTo(String hostPort) {
    TcpRelay forwarder = TcpRelay.start(TcpRelay.listenTcp(NodeSpec.HOST), intoLab(hostPort), Duration.ZERO);
    relays.add(forwarder);
    return forwarder.address();
  }

  /** One-way delay of every cluster link between relayed nodes, from now on (bytes already held keep theirs). */
  public void setClusterDelay(Duration delay) {
    clusterRelays.forEach(relay -> relay.setDelay(delay));
  }

  /**
   * Publishes {@code target} (a loopback server of the test JVM) on a port of {@link #hostAddress()}:
   * the gateway passes each connection to a Unix socket of the test JVM, which forwards it to
   * {@code target}. Returns {@code host:port} for the nodes.
   */
  public String publish(InetSocketAddress target) {
    Path socket = newSocketPath("published");
    relays.add(TcpRelay.start(TcpRelay.listenUnix(socket), TcpRelay.tcp(target), Duration.ZERO));
    return hostAddress() + ":" + publishSocket(socket);
  }

  /**
   * Cuts node {@code i} off from every other node, both ways, with blackhole routes in its
   * namespace and theirs; the hub's address (ledger, database, the test's API calls) stays reachable.
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

  /** Closes the relays, stops the gateway, removes the namespaces (with their veth pairs and the bridge) and the socket files. */
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
    stopGateway();
    removeLeftovers();
    deleteSocketDirectory();
  }

  private void build() {
    String hub = hubNamespace();
    String bridge = prefix + "-br";
    List<String> inUse = tryRun("ip", "-o", "-4", "addr", "show", "to", subnet()).lines().filter(line -> !line.isBlank()).toList();
    if (!inUse.isEmpty()) {
      throw new IllegalStateException("the test subnet " + subnet() + " is in use on this machine: " + inUse);
    }
    run("ip", "netns", "add", hub);
    run("ip", "-n", hub, "link", "set", "lo", "up");
    run("ip", "-n", hub, "link", "add", bridge, "type", "bridge");
    run("ip", "-n", hub, "addr", "add", hostAddress() + "/24", "dev", bridge);
    run("ip", "-n", hub, "link", "set", bridge, "up");
    for (int i = 0; i < nodes; i++) {
      String ns = namespace(i);
      String hubSide = ns + "h";
      run("ip", "netns", "add", ns);
      run("ip", "-n", hub, "link", "add", hubSide, "type", "veth", "peer", "name", "eth0", "netns", ns);
      run("ip", "-n", hub, "link", "set", hubSide, "master", bridge, "up");
      run("ip", "-n", ns, "addr", "add", nodeAddress(i) + "/24", "dev", "eth0");
      run("ip", "-n", ns, "link", "set", "eth0", "up");
      // A node's own loopback: the JVM and pekko expect one.
      run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    startGateway();
  }

  private void startGateway() {
    try {
      socketDir = Files.createTempDirectory(prefix + "-lab-");
      List<String> command = Stream.concat(Stream.of("ip", "netns", "exec", hubNamespace()),
          NodeCommand.mainClass(LabGateway.class).withJvmOptions("-Xmx64m").commandLine().stream()).toList();
      command = Stream.concat(command.stream(), Stream.of(hostAddress(), socketDir.resolve(GATEWAY_SOCKET).toString())).toList();
      gateway = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      gatewayAnswers = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
      String first = gatewayAnswers.readLine();
      if (!"ready".equals(first)) {
        throw new IllegalStateException("the lab gateway did not start (" + String.join(" ", command) + "): " + first);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the lab gateway", e);
    }
  }

  /** Asks the gateway to listen on a port of the hub address and pass its connections to {@code socket}; returns the port. */
  private synchronized int publishSocket(Path socket) {
    try {
      gateway.getOutputStream().write(("publish " + socket + "\n").getBytes(StandardCharsets.UTF_8));
      gateway.getOutputStream().flush();
      String answer = gatewayAnswers.readLine();
      if (answer == null || !answer.matches("[0-9]+")) {
        throw new IllegalStateException("the lab gateway cannot publish " + socket + ": " + answer);
      }
      return Integer.parseInt(answer);
    } catch (IOException e) {
      throw new UncheckedIOException("the lab gateway is gone", e);
    }
  }

  /** Connections into the lab, to {@code hostPort}, through the gateway. */
  private TcpRelay.Target intoLab(String hostPort) {
    return LabGateway.into(socketDir.resolve(GATEWAY_SOCKET), hostPort);
  }

  private Path newSocketPath(String name) {
    return socketDir.resolve(name + "-" + sockets.incrementAndGet() + ".sock");
  }

  private List<String> launcher(int i) {
    return List.of("ip", "netns", "exec", namespace(i));
  }

  /** Ends the gateway's input, at which it exits; kills it if it does not. */
  private void stopGateway() {
    Process process = gateway;
    if (process == null) {
      return;
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void deleteSocketDirectory() {
    Path dir = socketDir;
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the lab's socket directory " + dir, e);
    }
  }

  /**
   * Namespaces named by this prefix (hub and nodes), and a root-namespace bridge of the layout
   * before the hub: this lab's, or an earlier run's that crashed.
   */
  private void removeLeftovers() {
    Stream<String> namespaces = tryRun("ip", "netns", "list").lines()
        .map(line -> line.split("\\s+")[0])
        .filter(name -> name.matches(prefix + "-n[0-9]+") || name.equals(hubNamespace()));
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
