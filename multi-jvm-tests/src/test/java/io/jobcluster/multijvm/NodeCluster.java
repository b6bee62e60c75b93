package io.jobcluster.multijvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Several node processes forming one cluster on one database. Nodes are named {@code node-0},
 * {@code node-1}, ... and keep their index for the life of the cluster, across restarts.
 * {@link #close()} kills whatever is still running.
 */
public final class NodeCluster implements AutoCloseable {
  public static final Duration MEMBERS_TIMEOUT = Duration.ofSeconds(90);

  private final NodeCommand command;
  private final Map<String, String> env;
  private final Function<String, Map<String, String>> ownEnv;
  private final Path logDir;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private volatile NodeHost.Placement placement = NodeHost.Placement.LOOPBACK;

  private NodeCluster(String name, NodeCommand command, Map<String, String> env, Function<String, Map<String, String>> ownEnv) {
    this.command = command;
    this.env = Map.copyOf(env);
    this.ownEnv = ownEnv;
    this.logDir = TestLogs.directory(name);
  }

  /** A cluster of the real node, from the jar that {@code mvn package} built. */
  public static NodeCluster of(String name, Map<String, String> env) {
    return of(name, NodeCommand.nodeJar(), env);
  }

  /** {@code env} is shared by every node: database, admin key, worker queues. */
  public static NodeCluster of(String name, NodeCommand command, Map<String, String> env) {
    return new NodeCluster(name, command, env, nodeName -> Map.of());
  }

  /**
   * As {@link #of(String, NodeCommand, Map)}, plus settings of each node's own by its name
   * ({@code node-0}, ...), such as its key store; they win over {@code env}.
   */
  public static NodeCluster of(String name, NodeCommand command, Map<String, String> env, Function<String, Map<String, String>> ownEnv) {
    return new NodeCluster(name, command, env, ownEnv);
  }

  /**
   * Where each node runs, chosen before {@link #start(int)}: by default every node on loopback;
   * {@link NetworkLab} places each in a network namespace of its own.
   */
  public NodeCluster placedBy(NodeHost.Placement placement) {
    this.placement = placement;
    return this;
  }

  /** Where the nodes' logs go; a test may start a stranger there too. */
  public Path logDir() {
    return logDir;
  }

  /**
   * Starts n nodes at once, all seeded by node-0, and waits until each is ready and sees n members.
   * Cluster ports ascend with the index, so node-0 is both the oldest member and the lowest
   * address: it is the side a Split Brain Resolver keeps when a split is even.
   */
  public NodeCluster start(int n) {
    if (n < 1 || !nodes.isEmpty()) {
      throw new IllegalStateException("start(" + n + "): needs n >= 1, once; then use addNode()");
    }
    List<Integer> clusterPorts = IntStream.range(0, n).map(i -> FreePorts.take()).sorted().boxed().toList();
    try {
      List<NodeHost> hosts = IntStream.range(0, n).mapToObj(i -> placement.place(i, clusterPorts.get(i))).toList();
      String seed = hosts.get(0).clusterAddress(clusterPorts.get(0));
      for (int i = 0; i < n; i++) {
        NodeSpec spec = NodeSpec.withPorts(nodeName(i), command, hosts.get(i), FreePorts.take(), clusterPorts.get(i),
            nodeEnv(i, seed), logDir);
        nodes.add(NodeProcess.launch(spec));
      }
      nodes.forEach(NodeProcess::awaitReady);
      return awaitMembers(n);
    } catch (RuntimeException | Error e) {
      // The caller never gets the cluster to close, so the nodes started so far go now.
      closeAfter(e);
      throw e;
    }
  }

  /** Starts one more node, seeded by the nodes running now, and waits until it is ready. */
  public NodeProcess addNode() {
    int index = nodes.size();
    int clusterPort = FreePorts.take();
    NodeHost host = placement.place(index, clusterPort);
    List<String> running = running().stream().map(NodeProcess::clusterAddress).toList();
    String seeds = running.isEmpty() ? host.clusterAddress(clusterPort) : String.join(",", running);
    NodeProcess node = NodeProcess.launch(
        NodeSpec.withPorts(nodeName(index), command, host, FreePorts.take(), clusterPort, nodeEnv(index, seeds), logDir));
    nodes.add(node);
    return node.awaitReady();
  }

  /**
   * Restarts node i (SIGTERM first if it is running) seeded by the other running nodes, so a
   * restarted node-0 joins the survivors instead of founding a second cluster by itself.
   */
  public NodeProcess restart(int i) {
    NodeProcess node = node(i);
    List<String> others = running().stream().filter(n -> n != node).map(NodeProcess::clusterAddress).toList();
    String seeds = others.isEmpty() ? node.clusterAddress() : String.join(",", others);
    return node.restart(Map.of(NodeEnv.SEED_NODES, seeds));
  }

  public NodeProcess node(int i) {
    return nodes.get(i);
  }

  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** Nodes the test means to be running: started and not stopped by the test. */
  public List<NodeProcess> running() {
    return nodes.stream().filter(NodeProcess::expectedRunning).toList();
  }

  public NodeCluster awaitMembers(int n) {
    return awaitMembers(n, MEMBERS_TIMEOUT);
  }

  /**
   * Waits until every running node is ready and reports n Up members. Where no node reports
   * members (the field is optional), n ready running nodes count instead. A node that exits on
   * its own fails the wait at once.
   */
  public NodeCluster awaitMembers(int n, Duration timeout) {
    try {
      Poll.untilAsserted(timeout, () -> checkMembers(n));
      return this;
    } catch (AssertionError e) {
      StringBuilder report = new StringBuilder();
      running().forEach(node -> report.append(node.logReport(NodeProcess.LOG_TAIL_LINES)));
      throw new AssertionError("cluster did not reach " + n + " members within " + timeout + "; "
          + e.getMessage() + "\n" + report, e);
    }
  }

  private void checkMembers(int n) {
    List<NodeProcess> running = running();
    running.forEach(node -> node.requireAlive("while waiting for " + n + " members"));
    boolean anyReported = false;
    for (NodeProcess node : running) {
      ReadinessProbe readiness = node.readiness();
      if (!readiness.isReady() || (readiness.members().isPresent() && readiness.members().getAsInt() != n)) {
        throw new AssertionError(node.name() + " last /health/ready: " + readiness.summary());
      }
      anyReported |= readiness.members().isPresent();
    }
    if (!anyReported && running.size() != n) {
      throw new AssertionError(running.size() + " nodes running and ready (no members reported)");
    }
  }

  private void closeAfter(Throwable failure) {
    try {
      close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** Kills every node still running (SIGKILL); logs stay for inspection. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (NodeProcess node : nodes) {
      try {
        if (node.isAlive()) {
          node.kill9();
        }
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private Map<String, String> nodeEnv(int index, String seeds) {
    Map<String, String> nodeEnv = new HashMap<>(env);
    nodeEnv.putAll(ownEnv.apply(nodeName(index)));
    nodeEnv.put(NodeEnv.SEED_NODES, seeds);
    // Own data directory: the embedded database is per node, and stays out of the source tree.
    nodeEnv.putIfAbsent(NodeEnv.DATA_DIR, logDir.resolve(nodeName(index) + "-data").toString());
    return nodeEnv;
  }

  private static String nodeName(int index) {
    return "node-" + index;
  }
}
