package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay that joins loopback and the lab's Unix sockets and delays cluster links, against an echo server on loopback. */
class TcpRelayTest {
  private ServerSocket echo;

  @TempDir
  Path sockets;

  @BeforeEach
  void startEchoServer() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::echoConnections, "echo-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stopEchoServer() throws IOException {
    echo.close();
  }

  @Test
  void forwardsEveryByteBothWaysAndPassesOnTheEndOfTheStream() throws IOException {
    try (TcpRelay relay = TcpRelay.start(NodeSpec.HOST, target(), Duration.ZERO);
         Socket client = new Socket(NodeSpec.HOST, relay.port())) {
      byte[] sent = new byte[300_000];
      for (int i = 0; i < sent.length; i++) {
        sent[i] = (byte) (i * 31);
      }
      Thread writer = new Thread(() -> writeAndShutdown(client, sent));
      writer.start();
      // The echo server closes once it read the end of the stream: the relay passed the end on.
      assertArrayEquals(sent, client.getInputStream().readAllBytes());
    }
  }

  @Test
  void holdsBytesForTheDelayEachWay() throws IOException {
    try (TcpRelay relay = TcpRelay.start(NodeSpec.HOST, target(), Duration.ofMillis(200));
         Socket client = new Socket(NodeSpec.HOST, relay.port())) {
      long started = System.nanoTime();
      client.getOutputStream().write(7);
      assertEquals(7, client.getInputStream().read());
      Duration roundTrip = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(roundTrip.compareTo(Duration.ofMillis(400)) >= 0, "round trip through the relay: " + roundTrip);
    }
  }

  @Test
  void bytesNeverOvertakeEachOtherWhenTheDelayShrinks() throws IOException {
    try (TcpRelay relay = TcpRelay.start(NodeSpec.HOST, target(), Duration.ofMillis(300));
         Socket client = new Socket(NodeSpec.HOST, relay.port())) {
      OutputStream out = client.getOutputStream();
      out.write(new byte[] {1, 2, 3});
      out.flush();
      relay.setDelay(Duration.ZERO);
      out.write(new byte[] {4, 5, 6});
      client.shutdownOutput();
      assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, client.getInputStream().readAllBytes());
      assertEquals(Duration.ZERO, relay.delay());
    }
  }

  @Test
  void joinsTcpAndUnixDomainSocketsBothWays() throws IOException {
    // As the lab chains them: a loopback TCP port, a Unix socket, the target's TCP port.
    Path socket = sockets.resolve("relay.sock");
    try (TcpRelay unix = TcpRelay.start(TcpRelay.listenUnix(socket), TcpRelay.tcp(target()), Duration.ZERO);
         TcpRelay tcp = TcpRelay.start(TcpRelay.listenTcp(NodeSpec.HOST), TcpRelay.unix(socket), Duration.ofMillis(50));
         Socket client = new Socket(NodeSpec.HOST, tcp.port())) {
      assertEquals(socket.toString(), unix.address());
      assertEquals(NodeSpec.HOST + ":" + tcp.port(), tcp.address());
      byte[] sent = "through a Unix domain socket".getBytes(StandardCharsets.UTF_8);
      writeAndShutdown(client, sent);
      assertArrayEquals(sent, client.getInputStream().readAllBytes());
    }
  }

  @Test
  void aConnectionTheTargetRefusesIsClosed() throws IOException {
    Path nothing = sockets.resolve("nothing.sock");
    try (TcpRelay relay = TcpRelay.start(TcpRelay.listenTcp(NodeSpec.HOST), TcpRelay.unix(nothing), Duration.ZERO);
         Socket client = new Socket(NodeSpec.HOST, relay.port())) {
      assertEquals(-1, client.getInputStream().read(), "closed, as a refused connection would be");
    }
  }

  private InetSocketAddress target() {
    return new InetSocketAddress(NodeSpec.HOST, echo.getLocalPort());
  }

  private static void writeAndShutdown(Socket socket, byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.shutdownOutput();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void echoConnections() {
    while (!echo.isClosed()) {
      try {
        Socket connection = echo.accept();
        Thread worker = new Thread(() -> echoUntilEnd(connection), "echo");
        worker.setDaemon(true);
        worker.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  /** Echoes as it reads, then closes at the end of the stream. */
  private static void echoUntilEnd(Socket connection) {
    try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // The client went away: nothing to echo to.
    }
  }
}
