package io.jobcluster.bench.run;

import io.jobcluster.bench.metrics.NodeCounts;
import io.jobcluster.bench.metrics.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

/**
 * Reads every node's {@code GET /metrics} (on its management port) every 250 ms and keeps the summed job counters as a time
 * series. The metrics endpoint counts in memory, so watching costs the node almost nothing, unlike
 * {@code /v1/stats}, whose timings query costs the database about half a second per call under load.
 */
public final class MetricsWatcher implements AutoCloseable {
  public static final Duration INTERVAL = Duration.ofMillis(250);
  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(2);

  private final List<URI> nodes;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(SCRAPE_TIMEOUT).build();
  private final List<NodeCounts> readings = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "metrics-watcher");
    thread.setDaemon(true);
    return thread;
  });

  private MetricsWatcher(List<URI> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /** Starts watching; the first reading is taken before this returns. */
  public static MetricsWatcher start(List<URI> nodes) {
    MetricsWatcher watcher = new MetricsWatcher(nodes);
    watcher.read();
    watcher.timer.scheduleAtFixedRate(watcher::read, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return watcher;
  }

  public List<NodeCounts> readings() {
    return List.copyOf(readings);
  }

  /** The latest reading; fails when no node ever answered. */
  public NodeCounts latest() {
    if (readings.isEmpty()) {
      throw new IllegalStateException("no node answered GET /metrics at " + nodes);
    }
    return readings.get(readings.size() - 1);
  }

  /** Waits until the completed counter reaches {@code target}; when it did (interpolated), or empty at the timeout. */
  public OptionalLong awaitCompleted(long target, Duration timeout) {
    return await(NodeCounts::completed, target, timeout);
  }

  /** Waits until the submitted (accepted) counter reaches {@code target}. */
  public OptionalLong awaitSubmitted(long target, Duration timeout) {
    return await(NodeCounts::submitted, target, timeout);
  }

  private OptionalLong await(ToLongFunction<NodeCounts> counter, long target, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (readings.isEmpty() || counter.applyAsLong(latest()) < target) {
      if (System.nanoTime() - deadline >= 0) {
        return OptionalLong.empty();
      }
      LockSupport.parkNanos(INTERVAL.toNanos() / 5);
    }
    return NodeCounts.reached(readings(), counter, target);
  }

  /** One reading of all nodes; skipped as a whole when a node does not answer, so sums never dip. */
  private void read() {
    long submitted = 0;
    long completed = 0;
    for (URI node : nodes) {
      Optional<String> text = scrape(node);
      if (text.isEmpty()) {
        return;
      }
      submitted += (long) PrometheusText.sum(text.get(), NodeCounts.SUBMITTED);
      completed += (long) PrometheusText.sum(text.get(), NodeCounts.COMPLETED);
    }
    readings.add(new NodeCounts(System.currentTimeMillis(), submitted, completed));
  }

  private Optional<String> scrape(URI node) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.resolve("/metrics")).timeout(SCRAPE_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
