package io.jobcluster.multijvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream relay: accepts connections on one socket (TCP, or a Unix domain socket) and forwards
 * each to a {@link Target}, holding every chunk of bytes, in each direction, for {@link #delay()}
 * before passing it on. With no delay it joins the test JVM's loopback and a {@link NetworkLab}'s
 * hub namespace through Unix domain sockets (files, which every network namespace sees); with a
 * delay it stands in for {@code tc netem delay}, which this machine kind's kernel lacks: a node
 * advertises a relay's address as its cluster address (Artery's canonical address, bound
 * elsewhere), so every byte another node sends it waits.
 *
 * <p>The delay may change while connections are open; bytes never overtake each other (a chunk is
 * due no earlier than the one before it). Threads per connection: one reader and one writer each
 * way, so a held chunk never blocks reading the next; what is held is not bounded, which suits
 * the modest traffic of a test cluster, not a bulk transfer.
 */
public final class TcpRelay implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final AtomicLong threads = new AtomicLong();

  private final ServerSocketChannel server;
  private final Target target;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private volatile Duration delay;
  private volatile boolean closed;

  /** Where a relay sends one accepted connection: opens the outbound channel, which may first read from {@code inbound}. */
  @FunctionalInterface
  public interface Target {
    SocketChannel connect(SocketChannel inbound) throws IOException;
  }

  private TcpRelay(ServerSocketChannel server, Target target, Duration delay) {
    this.server = server;
    this.target = target;
    this.delay = delay;
  }

  /** Listens on a free port of {@code address} and forwards to {@code target}, holding bytes for {@code delay}. */
  public static TcpRelay start(String address, InetSocketAddress target, Duration delay) {
    return start(listenTcp(address), tcp(target), delay);
  }

  /** Accepts on {@code server} (bound; the relay closes it) and forwards to {@code target}, holding bytes for {@code delay}. */
  public static TcpRelay start(ServerSocketChannel server, Target target, Duration delay) {
    TcpRelay relay = new TcpRelay(server, target, delay);
    daemon("relay-accept", relay::acceptLoop).start();
    return relay;
  }

  /** A server channel on a free TCP port of {@code address}. */
  public static ServerSocketChannel listenTcp(String address) {
    return listen(StandardProtocolFamily.INET, new InetSocketAddress(inet(address), 0));
  }

  /** A server channel on a new Unix domain socket file {@code path} (removed by the caller when done). */
  public static ServerSocketChannel listenUnix(Path path) {
    return listen(StandardProtocolFamily.UNIX, UnixDomainSocketAddress.of(path));
  }

  /** Connects to {@code address} over TCP, giving up after 5 s. */
  public static Target tcp(InetSocketAddress address) {
    return inbound -> connectTcp(address);
  }

  private static SocketChannel connectTcp(InetSocketAddress address) throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      channel.socket().connect(address, CONNECT_TIMEOUT_MILLIS);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      return channel;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  /** Connects to the Unix domain socket file {@code path}. */
  public static Target unix(Path path) {
    return inbound -> SocketChannel.open(UnixDomainSocketAddress.of(path));
  }

  /** Where the relay listens: {@code host:port} for TCP, the socket file's path for a Unix domain socket. */
  public String address() {
    SocketAddress local = localAddress();
    return local instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() + ":" + inet.getPort() : local.toString();
  }

  /** The TCP port the relay listens on. */
  public int port() {
    return ((InetSocketAddress) localAddress()).getPort();
  }

  public Duration delay() {
    return delay;
  }

  /** The one-way delay from now on, for bytes read from now on, in both directions. */
  public void setDelay(Duration delay) {
    this.delay = delay;
  }

  /** Stops listening and cuts every open connection. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    open.forEach(TcpRelay::closeQuietly);
  }

  private SocketAddress localAddress() {
    try {
      return server.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException("the relay is closed", e);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        SocketChannel inbound = server.accept();
        // Connecting may wait (a slow target, a header to read): never in the accepting thread.
        daemon("relay-connect", () -> connect(inbound)).start();
      } catch (IOException e) {
        if (!closed) {
          // A failed accept of one connection must not end the relay.
          continue;
        }
        return;
      }
    }
  }

  private void connect(SocketChannel inbound) {
    SocketChannel outbound = null;
    try {
      if (inbound.getLocalAddress() instanceof InetSocketAddress) {
        inbound.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      outbound = target.connect(inbound);
      Connection connection = new Connection(inbound, outbound, new AtomicInteger());
      open.add(inbound);
      open.add(outbound);
      if (closed) {
        // The relay closed while this connection was being made: cut it too.
        close();
      }
      pump(connection, inbound, outbound);
      pump(connection, outbound, inbound);
    } catch (IOException e) {
      // The target refused (a node not up yet): the caller sees its connection closed and retries.
      closeQuietly(inbound);
      if (outbound != null) {
        closeQuietly(outbound);
      }
    }
  }

  /** Both channels of one relayed connection, and how many of its two directions have ended. */
  private record Connection(SocketChannel inbound, SocketChannel outbound, AtomicInteger ended) {}

  /** One direction: a reader that stamps chunks with their due time and a writer that sends them when due. */
  private void pump(Connection connection, SocketChannel from, SocketChannel to) {
    DelayQueue<Chunk> queue = new DelayQueue<>();
    daemon("relay-read", () -> read(from, queue)).start();
    daemon("relay-write", () -> write(connection, queue, to)).start();
  }

  private void read(SocketChannel from, DelayQueue<Chunk> queue) {
    long lastDue = 0;
    long sequence = 0;
    try {
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      while (from.read(buffer) >= 0) {
        lastDue = Math.max(lastDue, System.nanoTime() + delay.toNanos());
        queue.put(new Chunk(Arrays.copyOf(buffer.array(), buffer.position()), lastDue, sequence++));
        buffer.clear();
      }
    } catch (IOException e) {
      // Reset or closed: the end of the stream, passed on as such.
    }
    queue.put(new Chunk(null, Math.max(lastDue, System.nanoTime() + delay.toNanos()), sequence));
  }

  private void write(Connection connection, DelayQueue<Chunk> queue, SocketChannel to) {
    try {
      for (Chunk chunk = queue.take(); chunk.bytes() != null; chunk = queue.take()) {
        ByteBuffer bytes = ByteBuffer.wrap(chunk.bytes());
        while (bytes.hasRemaining()) {
          to.write(bytes);
        }
      }
      // The other side closed its sending half: close ours, as a direct connection would.
      to.shutdownOutput();
      if (connection.ended().incrementAndGet() < 2) {
        return;
      }
    } catch (IOException e) {
      // The receiving side is gone: the whole connection goes, as a reset would take it.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SocketChannel channel : List.of(connection.inbound(), connection.outbound())) {
      closeQuietly(channel);
      open.remove(channel);
    }
  }

  private record Chunk(byte[] bytes, long dueNanos, long sequence) implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Chunk that = (Chunk) other;
      int byDue = Long.compare(dueNanos, that.dueNanos);
      return byDue != 0 ? byDue : Long.compare(sequence, that.sequence);
    }
  }

  private static ServerSocketChannel listen(StandardProtocolFamily family, SocketAddress address) {
    try {
      ServerSocketChannel server = ServerSocketChannel.open(family);
      try {
        server.bind(address, 128);
        return server;
      } catch (IOException e) {
        server.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
  }

  private static InetAddress inet(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (IOException e) {
      throw new UncheckedIOException("not an address: " + address, e);
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name + "-" + threads.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing is best effort: the channel may already be gone.
    }
  }
}
