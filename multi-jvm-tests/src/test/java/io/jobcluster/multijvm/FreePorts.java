package io.jobcluster.multijvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out free TCP ports on 127.0.0.1, each at most once per test JVM. The OS may offer a
 * port again once its probe socket is closed, and a node keeps its ports across restarts, so
 * the set of handed-out ports is what keeps two nodes from ever getting the same one.
 */
final class FreePorts {
  private static final int ATTEMPTS = 100;
  private static final Set<Integer> handedOut = new HashSet<>();

  private FreePorts() {}

  static synchronized int take() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = probe();
      if (handedOut.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no fresh free port on 127.0.0.1 after " + ATTEMPTS + " attempts");
  }

  private static int probe() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(NodeSpec.HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a probe socket on " + NodeSpec.HOST, e);
    }
  }
}
