package io.jobcluster.multijvm;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One node's identity and settings: its host ({@link NodeHost#LOOPBACK} or its own address in a
 * network namespace), its ports (API, cluster, management), its environment and its log file. Host
 * and ports stay with the node across restarts, as a restarted machine keeps its address.
 */
public record NodeSpec(String name, NodeCommand command, NodeHost host, int httpPort, int clusterPort, int managementPort,
                       Map<String, String> env, Path logFile) {
  public static final String HOST = "127.0.0.1";

  public NodeSpec {
    env = Map.copyOf(env);
  }

  /** A node on two fresh ports; {@code env} holds everything but its own addresses. */
  public static NodeSpec create(String name, NodeCommand command, Map<String, String> env, Path logDir) {
    return withPorts(name, command, NodeHost.LOOPBACK, FreePorts.take(), FreePorts.take(), env, logDir);
  }

  /**
   * A node on {@code host} with the given API and cluster ports and a fresh management port. Ports
   * come from {@link FreePorts} for a namespace's node too: its own network has every port free.
   */
  static NodeSpec withPorts(String name, NodeCommand command, NodeHost host, int httpPort, int clusterPort,
                            Map<String, String> env, Path logDir) {
    return new NodeSpec(name, command, host, httpPort, clusterPort, FreePorts.take(), env, logDir.resolve(name + ".log"));
  }

  public String httpAddress() {
    return host.address() + ":" + httpPort;
  }

  /** {@code host:port} other nodes reach it at, the form {@code JOBCLUSTER_SEED_NODES} takes. */
  public String clusterAddress() {
    return host.clusterAddress(clusterPort);
  }

  /** The API's root as the test JVM reaches it (for a node in a {@link NetworkLab}, a loopback forwarder). */
  public URI baseUri() {
    return URI.create("http://" + host.reachedAt(httpPort));
  }

  /** The management port's root as the test JVM reaches it: {@code GET /metrics} is served there, not on the API port. */
  public URI managementUri() {
    return URI.create("http://" + host.reachedAt(managementPort));
  }

  public NodeSpec withEnv(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(env);
    merged.putAll(overrides);
    return new NodeSpec(name, command, host, httpPort, clusterPort, managementPort, merged, logFile);
  }

  /**
   * The process's command line: the host's launcher, then java. A node that advertises another
   * cluster address than it binds gets Artery's bind address as {@code -D} options (the node has no
   * setting of its own for it; {@code -D} options override its configuration).
   */
  List<String> commandLine() {
    NodeCommand java = !host.advertises() ? command : command.withJvmOptions(
        "-Dpekko.remote.artery.bind.hostname=" + host.address(), "-Dpekko.remote.artery.bind.port=" + clusterPort);
    return Stream.concat(host.launcher().stream(), java.commandLine().stream()).toList();
  }

  /** The process environment: the given settings, then this node's own addresses, which win. */
  Map<String, String> processEnv() {
    Map<String, String> all = new HashMap<>(env);
    all.put(NodeEnv.HTTP_HOST, host.address());
    all.put(NodeEnv.HTTP_PORT, Integer.toString(httpPort));
    all.put(NodeEnv.CLUSTER_HOST, host.clusterHost());
    all.put(NodeEnv.CLUSTER_PORT, Integer.toString(host.advertises() ? host.advertisedPort() : clusterPort));
    all.put(NodeEnv.MANAGEMENT_HOST, host.address());
    all.put(NodeEnv.MANAGEMENT_PORT, Integer.toString(managementPort));
    return all;
  }
}
