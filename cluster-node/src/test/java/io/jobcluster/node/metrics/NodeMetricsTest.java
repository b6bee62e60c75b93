package io.jobcluster.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.job.JobState;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {
  /** A sample line of the Prometheus text format: name, optional labels, a number. */
  private static final Pattern SAMPLE = Pattern.compile("[a-z_]+(\\{([a-z_]+=\"([^\"\\\\]|\\\\.)*\",?)*\\})? (-?[0-9.E+-]+|NaN|\\+Inf)");

  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private final NodeMetrics metrics = new NodeMetrics();

  @Test
  void persistedEventsCountJobsAndTimeDispatchAndRuns() {
    JobSpec spec = JobSpec.from(JobRequest.of("ocr").withQueue("media"), T0);
    JobEvent.Submitted submitted = new JobEvent.Submitted("j1", "acme", spec, JobStatus.PENDING, null, T0);
    JobState pending = observe(JobState.NoJob.INSTANCE, submitted);
    JobState running = observe(pending, new JobEvent.Leased("j1", 1, "l1", "w1", "n1", T0.plusSeconds(400), T0, T0.plusMillis(250)));
    JobState retrying = observe(running, new JobEvent.AttemptFailed("j1", 1, "l1", "w1", "n1", FailureCause.LEASE_EXPIRED, "late", true,
        JobStatus.RETRYING, 1, T0.plusSeconds(310), T0.plusSeconds(310), T0.plusMillis(250), T0.plusSeconds(300)));
    JobState again = observe(retrying, new JobEvent.MadePending("j1", JobStatus.RETRYING, 1, null, T0.plusSeconds(310)));
    JobState running2 = observe(again, new JobEvent.Leased("j1", 2, "l2", "w1", "n1", T0.plusSeconds(800), T0.plusSeconds(310),
        T0.plusSeconds(311)));
    observe(running2, new JobEvent.Completed("j1", 2, "l2", "w1", "n1", null, T0.plusSeconds(311), T0.plusSeconds(313)));

    assertEquals(1, metrics.submitted.value("media", "ocr"));
    assertEquals(1, metrics.retried.value("media", "ocr"));
    assertEquals(1, metrics.leaseExpirations.value("media"));
    assertEquals(1, metrics.completed.value("media", "ocr"));
    assertEquals(0, metrics.failed.value("media", "ocr"));
    assertEquals(2, metrics.dispatchLatency.count("media"));
    assertEquals(2, metrics.runTime.count("media", "ocr"));
    String text = metrics.render();
    // Dispatch waits of 0.25 s and 1 s, cumulative buckets.
    assertTrue(text.contains("jobcluster_dispatch_latency_seconds_bucket{queue=\"media\",le=\"0.1\"} 0\n"), text);
    assertTrue(text.contains("jobcluster_dispatch_latency_seconds_bucket{queue=\"media\",le=\"0.25\"} 1\n"), text);
    assertTrue(text.contains("jobcluster_dispatch_latency_seconds_bucket{queue=\"media\",le=\"1\"} 2\n"), text);
    assertTrue(text.contains("jobcluster_dispatch_latency_seconds_bucket{queue=\"media\",le=\"+Inf\"} 2\n"), text);
    assertTrue(text.contains("jobcluster_dispatch_latency_seconds_sum{queue=\"media\"} 1.25\n"), text);
    assertTrue(text.contains("jobcluster_attempt_run_seconds_count{queue=\"media\",type=\"ocr\"} 2\n"), text);
    // Run times of 299.75 s and 2 s.
    assertTrue(text.contains("jobcluster_attempt_run_seconds_sum{queue=\"media\",type=\"ocr\"} 301.75\n"), text);
  }

  @Test
  void terminalOutcomesAreCountedApart() {
    JobSpec spec = JobSpec.from(JobRequest.of("etl"), T0);
    JobState pending = observe(JobState.NoJob.INSTANCE, new JobEvent.Submitted("j2", "acme", spec, JobStatus.PENDING, null, T0));
    JobState running = observe(pending, new JobEvent.Leased("j2", 1, "l1", "w1", "n1", T0.plusSeconds(400), T0, T0.plusSeconds(1)));
    JobState failed = observe(running, new JobEvent.AttemptFailed("j2", 1, "l1", "w1", "n1", FailureCause.WORKER_LOST, "lost", true,
        JobStatus.FAILED, 0, null, null, T0.plusSeconds(1), T0.plusSeconds(2)));
    observe(failed, new JobEvent.Redriven("j2", 0, 3, null, T0.plusSeconds(3)));
    JobState other = observe(JobState.NoJob.INSTANCE, new JobEvent.Submitted("j3", "acme", spec, JobStatus.PENDING, null, T0));
    observe(other, new JobEvent.Cancelled("j3", JobStatus.PENDING, 0, "no", T0.plusSeconds(1)));
    JobState third = observe(JobState.NoJob.INSTANCE, new JobEvent.Submitted("j4", "acme", spec, JobStatus.PENDING, null, T0));
    observe(third, new JobEvent.Expired("j4", JobStatus.PENDING, 0, T0.plusSeconds(1)));

    assertEquals(3, metrics.submitted.value("default", "etl"));
    assertEquals(1, metrics.failed.value("default", "etl"));
    assertEquals(1, metrics.workersLost.value("default"));
    assertEquals(1, metrics.cancelled.value("default", "etl"));
    assertEquals(1, metrics.expired.value("default", "etl"));
  }

  @Test
  void theTextFormatHasHelpTypeAndEscapedLabelsAndEveryLineParses() {
    metrics.httpRequests.inc("GET", "/v1/jobs/{id}", "200");
    metrics.httpLatency.observe(Duration.ofMillis(3), "GET", "/v1/jobs/{id}");
    metrics.clusterMembers.setAll(Map.of(List.of("up"), 3.0));
    metrics.queueJobs.set(7, "q\"uote\\d\nq", "PENDING");
    String text = metrics.render();
    assertTrue(text.contains("# HELP jobcluster_http_requests_total HTTP requests answered\n"), text);
    assertTrue(text.contains("# TYPE jobcluster_http_requests_total counter\n"), text);
    assertTrue(text.contains("# TYPE jobcluster_http_request_duration_seconds histogram\n"), text);
    assertTrue(text.contains("# TYPE jobcluster_cluster_members gauge\n"), text);
    assertTrue(text.contains("jobcluster_http_requests_total{method=\"GET\",route=\"/v1/jobs/{id}\",status=\"200\"} 1\n"), text);
    assertTrue(text.contains("jobcluster_cluster_members{status=\"up\"} 3\n"), text);
    assertTrue(text.contains("jobcluster_queue_jobs{queue=\"q\\\"uote\\\\d\\nq\",status=\"PENDING\"} 7\n"), text);
    for (String line : text.split("\n")) {
      assertTrue(line.startsWith("# ") || SAMPLE.matcher(line).matches(), "not a valid sample line: " + line);
    }
    metrics.clusterMembers.setAll(Map.of(List.of("leaving"), 1.0));
    assertTrue(!metrics.render().contains("jobcluster_cluster_members{status=\"up\"}"), "a gauge's samples are replaced on each read");
  }

  @Test
  void labelCombinationsBeyondTheCapAreCountedTogether() {
    for (int i = 0; i < MetricFamily.MAX_SERIES + 50; i++) {
      metrics.submitted.inc("queue-" + i, "t");
    }
    assertEquals(50, metrics.submitted.value(MetricFamily.OVERFLOW, MetricFamily.OVERFLOW));
    assertEquals(MetricFamily.MAX_SERIES + 1, metrics.submitted.series.size());
    assertThrows(IllegalArgumentException.class, () -> metrics.submitted.inc("only-one-label"));
  }

  @Test
  void scrapeRunsItsHooksFirstAndAFailingHookKeepsTheOldValues() {
    metrics.unreachableMembers.set(0);
    metrics.beforeScrape(() -> {
      metrics.unreachableMembers.set(2);
      return CompletableFuture.completedFuture(null);
    });
    metrics.beforeScrape(() -> CompletableFuture.failedFuture(new IllegalStateException("database down")));
    String text = metrics.scrape().toCompletableFuture().join();
    assertTrue(text.contains("jobcluster_cluster_unreachable_members 2\n"), text);
    assertEquals("text/plain; version=0.0.4; charset=utf-8", NodeMetrics.contentType());
  }

  @Test
  void histogramBoundsMustIncrease() {
    assertThrows(IllegalArgumentException.class, () -> new Histogram("h", "help", List.of(), 1, 0.5));
    assertEquals("0.005", PrometheusText.number(0.005));
    assertEquals("NaN", PrometheusText.number(Double.NaN));
    assertEquals("-Inf", PrometheusText.number(Double.NEGATIVE_INFINITY));
  }

  private JobState observe(JobState before, JobEvent event) {
    JobState after = before.apply(event);
    metrics.persisted(after, event);
    return after;
  }
}
