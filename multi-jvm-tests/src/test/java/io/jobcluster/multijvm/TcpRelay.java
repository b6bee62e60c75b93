package io.jobcluster.multijvm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * A TCP relay in the test JVM: accepts connections on one address and forwards each to a target,
 * holding every chunk of bytes, in each direction, for {@link #delay()} before passing it on. With
 * no delay it publishes a loopback-only server (the test's PostgreSQL) on an address that nodes in
 * network namespaces reach; with a delay it stands in for {@code tc netem delay}, which this
 * machine kind's kernel lacks: a node advertises its relay's address as its cluster address
 * (Artery's canonical address, bound elsewhere), so every byte another node sends it waits.
 *
 * <p>The delay may change while connections are open; bytes never overtake each other (a chunk is
 * due no earlier than the one before it). Threads per connection: one reader and one writer each
 * way, so a held chunk never blocks reading the next; what is held is not bounded, which suits
 * the modest traffic of a test cluster, not a bulk transfer.
 */
public final class TcpRelay implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;
  private static final AtomicLong threads = new AtomicLong();

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile Duration delay;
  private volatile boolean closed;

  private TcpRelay(ServerSocket server, InetSocketAddress target, Duration delay) {
    this.server = server;
    this.target = target;
    this.delay = delay;
  }

  /** Listens on a free port of {@code address} and forwards to {@code target}, holding bytes for {@code delay}. */
  public static TcpRelay start(String address, InetSocketAddress target, Duration delay) {
    try {
      ServerSocket server = new ServerSocket(0, 128, InetAddress.getByName(address));
      TcpRelay relay = new TcpRelay(server, target, delay);
      daemon("relay-accept-" + server.getLocalPort(), relay::acceptLoop).start();
      return relay;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + " for a relay to " + target, e);
    }
  }

  /** {@code host:port} where the relay listens. */
  public String address() {
    return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
  }

  public int port() {
    return server.getLocalPort();
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

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket inbound = server.accept();
        connect(inbound);
      } catch (IOException e) {
        if (!closed) {
          // A failed accept of one connection must not end the relay.
          continue;
        }
        return;
      }
    }
  }

  private void connect(Socket inbound) {
    Socket outbound = new Socket();
    try {
      outbound.connect(target, 5_000);
      Connection connection = new Connection(inbound, outbound, new AtomicInteger());
      for (Socket socket : List.of(inbound, outbound)) {
        socket.setTcpNoDelay(true);
        open.add(socket);
      }
      pump(connection, inbound, outbound);
      pump(connection, outbound, inbound);
    } catch (IOException e) {
      // The target refused (a node not up yet): the caller sees its connection closed and retries.
      closeQuietly(inbound);
      closeQuietly(outbound);
    }
  }

  /** Both sockets of one relayed connection, and how many of its two directions have ended. */
  private record Connection(Socket inbound, Socket outbound, AtomicInteger ended) {}

  /** One direction: a reader that stamps chunks with their due time and a writer that sends them when due. */
  private void pump(Connection connection, Socket from, Socket to) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    DelayQueue<Chunk> queue = new DelayQueue<>();
    String name = from.getPort() + ">" + to.getPort();
    daemon("relay-read-" + name, () -> read(in, queue)).start();
    daemon("relay-write-" + name, () -> write(connection, queue, out, to)).start();
  }

  private void read(InputStream in, DelayQueue<Chunk> queue) {
    long lastDue = 0;
    long sequence = 0;
    try {
      byte[] buffer = new byte[CHUNK];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        lastDue = Math.max(lastDue, System.nanoTime() + delay.toNanos());
        queue.put(new Chunk(Arrays.copyOf(buffer, n), lastDue, sequence++));
      }
    } catch (IOException e) {
      // Reset or closed: the end of the stream, passed on as such.
    }
    queue.put(new Chunk(null, Math.max(lastDue, System.nanoTime() + delay.toNanos()), sequence));
  }

  private void write(Connection connection, DelayQueue<Chunk> queue, OutputStream out, Socket to) {
    try {
      for (Chunk chunk = queue.take(); chunk.bytes() != null; chunk = queue.take()) {
        out.write(chunk.bytes());
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
    for (Socket socket : List.of(connection.inbound(), connection.outbound())) {
      closeQuietly(socket);
      open.remove(socket);
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

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name + "-" + threads.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing is best effort: the socket may already be gone.
    }
  }
}
