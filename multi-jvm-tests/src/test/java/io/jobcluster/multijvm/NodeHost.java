package io.jobcluster.multijvm;

import java.util.List;

/**
 * Where a node runs and how other nodes reach it: {@link #LOOPBACK} (every node on 127.0.0.1 of
 * the test JVM's network, the default), or an address of its own inside a network namespace
 * ({@link NetworkLab}), the process started through {@code launcher} ({@code ip netns exec <ns>}).
 * A node may advertise another cluster address than the one it binds (Artery's canonical and bind
 * addresses): a relay's, which forwards to the bind address ({@link TcpRelay}). The test JVM may
 * reach the node's ports through other addresses than the node's own ({@code reach}): a node in a
 * namespace through loopback forwarders of its lab ({@link NetworkLab#reach}).
 *
 * @param address what the node binds: its API, management and cluster listeners
 * @param launcher the command the node's {@code java} command line is appended to; empty to run it as is
 * @param advertisedHost the cluster host other nodes connect to; null for {@code address}
 * @param advertisedPort the cluster port other nodes connect to; 0 for the node's own cluster port
 * @param reach where the test JVM connects to reach a port of {@code address}
 */
public record NodeHost(String address, List<String> launcher, String advertisedHost, int advertisedPort, Reach reach) {
  public static final NodeHost LOOPBACK = new NodeHost(NodeSpec.HOST, List.of(), null, 0);

  public NodeHost {
    launcher = List.copyOf(launcher);
  }

  /** A node the test JVM reaches at its own address. */
  public NodeHost(String address, List<String> launcher, String advertisedHost, int advertisedPort) {
    this(address, launcher, advertisedHost, advertisedPort, Reach.DIRECT);
  }

  /** {@code host:port} where the test JVM reaches the node's {@code port}. */
  public String reachedAt(int port) {
    return reach.hostPort(address, port);
  }

  /** Where the test JVM connects to reach a port of a node's address. */
  @FunctionalInterface
  public interface Reach {
    Reach DIRECT = (address, port) -> address + ":" + port;

    String hostPort(String address, int port);
  }

  /** The cluster host other nodes connect to. */
  public String clusterHost() {
    return advertises() ? advertisedHost : address;
  }

  /** Whether other nodes reach this one through another address than the one it binds. */
  public boolean advertises() {
    return advertisedHost != null;
  }

  /** {@code host:port} other nodes connect to (the seed-node form) for a node bound to {@code clusterPort}. */
  public String clusterAddress(int clusterPort) {
    return clusterHost() + ":" + (advertises() ? advertisedPort : clusterPort);
  }

  /** How one node's place is chosen: by its index in the cluster and its (bind) cluster port. */
  @FunctionalInterface
  public interface Placement {
    Placement LOOPBACK = (index, clusterPort) -> NodeHost.LOOPBACK;

    NodeHost place(int index, int clusterPort);
  }
}
