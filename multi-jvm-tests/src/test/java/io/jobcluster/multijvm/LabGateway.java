package io.jobcluster.multijvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one process of a {@link NetworkLab}'s hub namespace: the test JVM's way into the lab and
 * the lab's way out, with Unix domain sockets to cross between the namespaces (a socket file is
 * the same file in every network namespace), so no address but loopback exists outside the lab.
 *
 * <ul>
 *   <li>Into the lab: it accepts on the Unix socket {@code <connect socket>}; a connection's first
 *       line is {@code host:port}, and the rest of it flows to and from that TCP address (a node's
 *       API, management or cluster port).
 *   <li>Out of the lab: the line {@code publish <unix socket>} on its standard input listens on a
 *       free port of the hub address and forwards every connection there to that socket file, which
 *       the test JVM serves (the database, the ledger, delayed cluster links); it answers the port,
 *       or {@code error <reason>}, on its standard output.
 * </ul>
 *
 * It prints {@code ready} once it accepts, and exits at the end of its standard input: when the
 * test JVM closes it, or dies.
 *
 * <p>Usage: {@code LabGateway <hub address> <connect socket>}, started with {@code ip netns exec <hub>}.
 */
public final class LabGateway {
  private static final int MAX_HEADER = 256;

  private LabGateway() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: LabGateway <hub address> <connect socket>");
      System.exit(2);
    }
    String hubAddress = args[0];
    List<TcpRelay> relays = new ArrayList<>();
    relays.add(TcpRelay.start(TcpRelay.listenUnix(Path.of(args[1])), LabGateway::connectToHeader, Duration.ZERO));
    System.out.println("ready");
    System.out.flush();
    BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = requests.readLine(); line != null; line = requests.readLine()) {
      System.out.println(publish(hubAddress, line, relays));
      System.out.flush();
    }
    relays.forEach(TcpRelay::close);
    System.exit(0);
  }

  private static String publish(String hubAddress, String request, List<TcpRelay> relays) {
    if (!request.startsWith("publish ")) {
      return "error unknown request: " + request;
    }
    try {
      TcpRelay relay = TcpRelay.start(TcpRelay.listenTcp(hubAddress), TcpRelay.unix(Path.of(request.substring("publish ".length()))),
          Duration.ZERO);
      relays.add(relay);
      return Integer.toString(relay.port());
    } catch (RuntimeException e) {
      return "error " + e;
    }
  }

  /** Reads the {@code host:port} line a connection starts with and connects there. */
  private static SocketChannel connectToHeader(SocketChannel inbound) throws IOException {
    String header = readLine(inbound);
    int colon = header.lastIndexOf(':');
    if (colon < 1) {
      throw new IOException("no host:port line: " + header);
    }
    InetSocketAddress target = new InetSocketAddress(header.substring(0, colon), Integer.parseInt(header.substring(colon + 1)));
    return TcpRelay.tcp(target).connect(inbound);
  }

  /** One line, byte by byte: whatever follows it belongs to the relayed stream. */
  private static String readLine(SocketChannel channel) throws IOException {
    StringBuilder line = new StringBuilder();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (line.length() < MAX_HEADER) {
      one.clear();
      if (channel.read(one) < 0) {
        throw new IOException("closed before its header");
      }
      char c = (char) one.get(0);
      if (c == '\n') {
        return line.toString();
      }
      line.append(c);
    }
    throw new IOException("header longer than " + MAX_HEADER + " bytes");
  }

  /** Opens a connection into the lab: to {@code target} (inside the lab) through the gateway's socket {@code connectSocket}. */
  static TcpRelay.Target into(Path connectSocket, String target) {
    return inbound -> connectWithHeader(TcpRelay.unix(connectSocket).connect(inbound), target);
  }

  private static SocketChannel connectWithHeader(SocketChannel channel, String target) throws IOException {
    ByteBuffer header = ByteBuffer.wrap((target + "\n").getBytes(StandardCharsets.US_ASCII));
    while (header.hasRemaining()) {
      channel.write(header);
    }
    return channel;
  }
}
