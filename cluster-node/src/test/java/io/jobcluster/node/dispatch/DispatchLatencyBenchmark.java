package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.worker.TestHandlers;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Dispatch latency on one node with idle capacity: from just before a submission is sent to the
 * moment its handler starts. Jobs are submitted one after another, each once the previous one ran,
 * so every job meets idle workers. Not part of the normal build (tag "benchmark"); run with
 * {@code mvn -B -pl cluster-node -am test -Dbenchmark.excluded=none -Dtest=DispatchLatencyBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true}. Writes
 * {@code cluster-node/target/benchmarks/dispatch-latency.md}.
 */
@Tag("benchmark")
class DispatchLatencyBenchmark {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final int WARM_UP = 200;
  private static final int MEASURED = 1_000;

  @Test
  void submitToHandlerStartOnAnIdleNode() throws Exception {
    try (JobclusterNode node = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"default:8\"")) {
      List<Long> micros = new ArrayList<>();
      for (int i = 0; i < WARM_UP + MEASURED; i++) {
        Instant sent = Instant.now();
        String id = Jobs.submit(node.jobs(), JobRequest.of("count")).id();
        Jobs.awaitStatus(node.jobs(), List.of(id), JobStatus.COMPLETED, Duration.ofSeconds(30));
        if (i >= WARM_UP) {
          micros.add(Duration.between(sent, TestHandlers.STARTS.get(id).get(0)).toNanos() / 1_000);
        }
      }
      micros.sort(Long::compare);
      assertEquals(MEASURED, micros.size());
      String report = String.format(Locale.ROOT,
          "# Dispatch latency (submit -> handler start), one node, idle capacity%n%n"
              + "| jobs | p50 ms | p90 ms | p99 ms | max ms |%n|---|---|---|---|---|%n| %d | %.1f | %.1f | %.1f | %.1f |%n%n"
              + "PostgreSQL 15 (fsync on) on the same machine; %d cores; Java %s.%n",
          MEASURED, pct(micros, 50), pct(micros, 90), pct(micros, 99), micros.get(micros.size() - 1) / 1000.0,
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
      Path out = Path.of("target", "benchmarks", "dispatch-latency.md");
      Files.createDirectories(out.getParent());
      Files.writeString(out, report);
      LoggerFactory.getLogger(DispatchLatencyBenchmark.class).info("\n{}", report);
    }
  }

  private static double pct(List<Long> sorted, int percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)) / 1000.0;
  }
}
