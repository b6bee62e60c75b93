package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void handsOutEachPortOnlyOnce() {
    Set<Integer> ports = new HashSet<>();
    IntStream.range(0, 200).forEach(i -> ports.add(FreePorts.take()));

    assertEquals(200, ports.size());
  }

  @Test
  void handsOutPortsThatCanBeBoundOnLoopback() throws IOException {
    int port = FreePorts.take();

    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(NodeSpec.HOST))) {
      assertEquals(port, socket.getLocalPort());
    }
  }
}
