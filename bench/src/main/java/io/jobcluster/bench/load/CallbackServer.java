package io.jobcluster.bench.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The receiving end of the load's {@code http} jobs, inside the load generator's JVM: job
 * {@code n} calls {@code POST /cb/n}, and the moment its first call arrives is when its handler
 * started, on this JVM's clock (the one the submissions were timed with). Answers at once.
 */
public final class CallbackServer implements AutoCloseable {
  private static final String PATH = "/cb/";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  // 0 = not arrived yet; else arrival nanoTime minus origin plus 1, so that no arrival reads as 0.
  private final AtomicLongArray arrivals;
  private final AtomicLong arrived = new AtomicLong();
  private final AtomicLong repeated = new AtomicLong();
  private final long originNanos = System.nanoTime();
  private final Instant originWall = Instant.now();

  private CallbackServer(int jobs) throws IOException {
    arrivals = new AtomicLongArray(jobs);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.createContext(PATH, this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** A server for jobs {@code 0 .. jobs - 1} on a free 127.0.0.1 port. */
  public static CallbackServer start(int jobs) {
    try {
      return new CallbackServer(jobs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the callback server", e);
    }
  }

  public URI url(long job) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH + job);
  }

  private void handle(HttpExchange exchange) throws IOException {
    long now = System.nanoTime();
    try (exchange) {
      int job = Integer.parseInt(exchange.getRequestURI().getPath().substring(PATH.length()));
      if (arrivals.compareAndSet(job, 0, now - originNanos + 1)) {
        arrived.incrementAndGet();
      } else {
        repeated.incrementAndGet();
      }
      exchange.sendResponseHeaders(200, -1);
    } catch (RuntimeException e) {
      exchange.sendResponseHeaders(404, -1);
    }
  }

  /** Whether job {@code n} has called. */
  public boolean arrived(long job) {
    return arrivals.get((int) job) != 0;
  }

  /** When job {@code n} first called, as a {@link System#nanoTime()} reading of this JVM; only if {@link #arrived}. */
  public long arrivalNanos(long job) {
    return arrivals.get((int) job) - 1 + originNanos;
  }

  /** The wall-clock time of a {@link System#nanoTime()} reading of this JVM, to compare with a job's runAt. */
  public Instant wallClock(long nanos) {
    return originWall.plus(nanos - originNanos, ChronoUnit.NANOS);
  }

  /** Jobs that have called at least once. */
  public long arrived() {
    return arrived.get();
  }

  /** Calls beyond each job's first (a job run twice). */
  public long repeated() {
    return repeated.get();
  }

  /** Waits until {@code expected} jobs have called or {@code timeout} passed; whether they all did. */
  public boolean awaitArrivals(long expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (arrived.get() < expected) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    return true;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
