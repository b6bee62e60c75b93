package io.jobcluster.multijvm;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One node's identity and settings: its addresses (API, cluster, management), its environment and
 * its log file. The ports stay with the node across restarts, as a restarted machine keeps its address.
 */
public record NodeSpec(String name, NodeCommand command, int httpPort, int clusterPort, int managementPort,
                       Map<String, String> env, Path logFile) {
  public static final String HOST = "127.0.0.1";

  public NodeSpec {
    env = Map.copyOf(env);
  }

  /** A node on two fresh ports; {@code env} holds everything but its own addresses. */
  public static NodeSpec create(String name, NodeCommand command, Map<String, String> env, Path logDir) {
    return withPorts(name, command, FreePorts.take(), FreePorts.take(), env, logDir);
  }

  /** A node on the given API and cluster ports and a fresh management port. */
  static NodeSpec withPorts(String name, NodeCommand command, int httpPort, int clusterPort,
                            Map<String, String> env, Path logDir) {
    return new NodeSpec(name, command, httpPort, clusterPort, FreePorts.take(), env, logDir.resolve(name + ".log"));
  }

  public String httpAddress() {
    return HOST + ":" + httpPort;
  }

  /** {@code host:port}, the form {@code JOBCLUSTER_SEED_NODES} takes. */
  public String clusterAddress() {
    return HOST + ":" + clusterPort;
  }

  public URI baseUri() {
    return URI.create("http://" + httpAddress());
  }

  /** The management port's root: {@code GET /metrics} is served there, not on the API port. */
  public URI managementUri() {
    return URI.create("http://" + HOST + ":" + managementPort);
  }

  public NodeSpec withEnv(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(env);
    merged.putAll(overrides);
    return new NodeSpec(name, command, httpPort, clusterPort, managementPort, merged, logFile);
  }

  /** The process environment: the given settings, then this node's own addresses, which win. */
  Map<String, String> processEnv() {
    Map<String, String> all = new HashMap<>(env);
    all.put(NodeEnv.HTTP_HOST, HOST);
    all.put(NodeEnv.HTTP_PORT, Integer.toString(httpPort));
    all.put(NodeEnv.CLUSTER_HOST, HOST);
    all.put(NodeEnv.CLUSTER_PORT, Integer.toString(clusterPort));
    all.put(NodeEnv.MANAGEMENT_HOST, HOST);
    all.put(NodeEnv.MANAGEMENT_PORT, Integer.toString(managementPort));
    return all;
  }
}
