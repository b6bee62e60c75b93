package io.jobcluster.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.job.JobState;
import io.jobcluster.node.readmodel.QueueStats;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.JobStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {
  /** A sample line of the Prometheus text format: name, optional labels, a number. */
  private static final Pattern SAMPLE = Pattern.compile("[a-z_]+(\\{([a-z_]+=\"([^\"\\\\]|\\\\.)*\",?)*\\})? (-?[0-9.E+-]+|NaN|\\+Inf)");

  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final NodeMetrics metrics = new NodeMetrics(registry);

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

    assertEquals(1, count("jobcluster.jobs.submitted", "queue", "media", "type", "ocr"));
    assertEquals(1, count("jobcluster.jobs.retried", "queue", "media", "type", "ocr"));
    assertEquals(1, count("jobcluster.lease.expirations", "queue", "media"));
    assertEquals(1, count("jobcluster.jobs.completed", "queue", "media", "type", "ocr"));
    assertEquals(0, count("jobcluster.jobs.failed", "queue", "media", "type", "ocr"));
    assertEquals(2, registry.get("jobcluster.dispatch.latency").tags("queue", "media").timer().count());
    assertEquals(2, registry.get("jobcluster.attempt.run").tags("queue", "media", "type", "ocr").timer().count());
    String text = scrape();
    // Dispatch waits of 0.25 s and 1 s, cumulative buckets.
    assertTrue(text.contains("jobcluster_dispatch_latency_seconds_bucket{queue=\"media\",le=\"0.1\"} 0\n"), text);
    assertTrue(text.contains("jobcluster_dispatch_latency_seconds_bucket{queue=\"media\",le=\"0.25\"} 1\n"), text);
    assertTrue(text.contains("jobcluster_dispatch_latency_seconds_bucket{queue=\"media\",le=\"1.0\"} 2\n"), text);
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

    assertEquals(3, count("jobcluster.jobs.submitted", "queue", "default", "type", "etl"));
    assertEquals(1, count("jobcluster.jobs.failed", "queue", "default", "type", "etl"));
    assertEquals(1, count("jobcluster.attempts.worker.lost", "queue", "default"));
    assertEquals(1, count("jobcluster.jobs.cancelled", "queue", "default", "type", "etl"));
    assertEquals(1, count("jobcluster.jobs.expired", "queue", "default", "type", "etl"));
  }

  @Test
  void theTextFormatHasHelpTypeAndEscapedLabelsAndEveryLineParses() {
    metrics.httpAnswered("GET", "/v1/jobs/{id}", 200, Duration.ofMillis(3).toNanos());
    metrics.clusterMembers(Map.of("up", 3), 0);
    metrics.queues(List.of(new QueueStats("q\"uote\\d\nq", 7, 0, 0, 0, null)), T0);
    String text = scrape();
    assertTrue(text.contains("# HELP jobcluster_http_requests_total HTTP requests answered\n"), text);
    assertTrue(text.contains("# TYPE jobcluster_http_requests_total counter\n"), text);
    assertTrue(text.contains("# TYPE jobcluster_http_request_duration_seconds histogram\n"), text);
    assertTrue(text.contains("# TYPE jobcluster_cluster_members gauge\n"), text);
    assertTrue(text.contains("jobcluster_http_requests_total{method=\"GET\",route=\"/v1/jobs/{id}\",status=\"200\"} 1.0\n"), text);
    assertTrue(text.contains("jobcluster_http_request_duration_seconds_sum{method=\"GET\",route=\"/v1/jobs/{id}\"} 0.003\n"), text);
    assertTrue(text.contains("jobcluster_cluster_members{status=\"up\"} 3.0\n"), text);
    assertTrue(text.contains("jobcluster_queue_jobs{queue=\"q\\\"uote\\\\d\\nq\",status=\"PENDING\"} 7.0\n"), text);
    assertTrue(text.contains("jobcluster_queue_oldest_pending_age_seconds{queue=\"q\\\"uote\\\\d\\nq\"} 0.0\n"), text);
    for (String line : text.split("\n")) {
      assertTrue(line.startsWith("# ") || SAMPLE.matcher(line).matches(), "not a valid sample line: " + line);
    }
    metrics.clusterMembers(Map.of("leaving", 1), 0);
    assertFalse(scrape().contains("jobcluster_cluster_members{status=\"up\"}"), "a gauge's samples are replaced on each read");
  }

  @Test
  void histogramsKeepTheirBuckets() {
    metrics.httpAnswered("GET", "/metrics", 200, 1);
    JobSpec spec = JobSpec.from(JobRequest.of("etl"), T0);
    JobState pending = observe(JobState.NoJob.INSTANCE, new JobEvent.Submitted("j5", "acme", spec, JobStatus.PENDING, null, T0));
    JobState running = observe(pending, new JobEvent.Leased("j5", 1, "l1", "w1", "n1", T0.plusSeconds(400), T0, T0.minusMillis(5)));
    observe(running, new JobEvent.Completed("j5", 1, "l1", "w1", "n1", null, T0, T0.plusSeconds(1)));
    String text = scrape();
    List<String> latency = List.of("0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "30.0",
        "60.0", "+Inf");
    assertEquals(latency, bounds(text, "jobcluster_http_request_duration_seconds"));
    assertEquals(latency, bounds(text, "jobcluster_dispatch_latency_seconds"));
    assertEquals(List.of("0.01", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "30.0", "60.0", "300.0", "900.0", "3600.0", "+Inf"),
        bounds(text, "jobcluster_attempt_run_seconds"));
    assertTrue(text.contains("jobcluster_dispatch_latency_seconds_bucket{queue=\"default\",le=\"0.001\"} 1\n"),
        "a lease stamped before the job became pending (clocks of two nodes) counts as no wait: " + text);
  }

  @Test
  void labelCombinationsBeyondTheCapAreCountedTogether() {
    for (int i = 0; i < LabelledMeters.MAX_SERIES + 50; i++) {
      JobSpec spec = JobSpec.from(JobRequest.of("t").withQueue("queue-" + i), T0);
      observe(JobState.NoJob.INSTANCE, new JobEvent.Submitted("j" + i, "acme", spec, JobStatus.PENDING, null, T0));
    }
    assertEquals(50, count("jobcluster.jobs.submitted", "queue", LabelledMeters.OVERFLOW, "type", LabelledMeters.OVERFLOW));
    assertEquals(LabelledMeters.MAX_SERIES + 1, registry.find("jobcluster.jobs.submitted").counters().size());
    LabelledMeters<Counter> meters = new LabelledMeters<>(List.of("queue", "type"), tags -> registry.counter("c", tags));
    assertThrows(IllegalArgumentException.class, () -> meters.with("only-one-label"));
  }

  @Test
  void gaugeSamplesBeyondTheCapAreMergedTogether() {
    Map<List<String>, Double> samples = new LinkedHashMap<>();
    for (int i = 0; i < LabelledMeters.MAX_SERIES + 3; i++) {
      samples.put(List.of("queue-" + i), (double) i);
    }
    Map<List<String>, Double> capped = LabelledMeters.capped(samples, Double::sum);
    assertEquals(LabelledMeters.MAX_SERIES + 1, capped.size());
    assertEquals(500.0 + 501 + 502, capped.get(List.of(LabelledMeters.OVERFLOW)));
    assertEquals(Tags.of("queue", "a", "type", "b"), LabelledMeters.tags(List.of("queue", "type"), List.of("a", "b")));
  }

  @Test
  void scrapeRunsItsHooksFirstAndAFailingHookKeepsTheOldValues() {
    metrics.clusterMembers(Map.of("up", 1), 0);
    metrics.beforeScrape(() -> {
      metrics.clusterMembers(Map.of("up", 1), 2);
      return CompletableFuture.completedFuture(null);
    });
    metrics.beforeScrape(() -> CompletableFuture.failedFuture(new IllegalStateException("database down")));
    String text = metrics.scrape().toCompletableFuture().join();
    assertTrue(text.contains("jobcluster_cluster_unreachable_members 2.0\n"), text);
    assertTrue(text.contains("jobcluster_cluster_members{status=\"up\"} 1.0\n"), text);
    assertEquals("text/plain; version=0.0.4; charset=utf-8", NodeMetrics.CONTENT_TYPE);
  }

  /** A counter's count; 0 when it never counted. */
  @Test
  void noLabelNamesATenantByDefault() {
    JobSpec spec = JobSpec.from(JobRequest.of("ocr").withQueue("media"), T0);
    observe(JobState.NoJob.INSTANCE, new JobEvent.Submitted("j1", "acme", spec, JobStatus.PENDING, null, T0));
    assertEquals(1, count("jobcluster.jobs.submitted", "queue", "media", "type", "ocr"));
    assertFalse(scrape().contains("acme"), "a scrape names no tenant");
  }

  @Test
  void withTenantLabelsOnTheJobCountersCarryTheTenantAndTheTimersDoNot() {
    PrometheusMeterRegistry labelled = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    NodeMetrics withTenants = new NodeMetrics(labelled, true);
    JobSpec spec = JobSpec.from(JobRequest.of("ocr").withQueue("media"), T0);
    JobEvent.Submitted submitted = new JobEvent.Submitted("j1", "acme", spec, JobStatus.PENDING, null, T0);
    JobState pending = JobState.NoJob.INSTANCE.apply(submitted);
    withTenants.persisted(pending, submitted);
    JobEvent.Leased leased = new JobEvent.Leased("j1", 1, "l1", "w1", "n1", T0.plusSeconds(400), T0, T0.plusMillis(250));
    JobState running = pending.apply(leased);
    withTenants.persisted(running, leased);
    JobEvent.Completed done = new JobEvent.Completed("j1", 1, "l1", "w1", "n1", null, T0.plusMillis(250), T0.plusSeconds(1));
    withTenants.persisted(running.apply(done), done);

    assertEquals(1, labelled.get("jobcluster.jobs.submitted").tags("tenant", "acme", "queue", "media", "type", "ocr").counter().count());
    assertEquals(1, labelled.get("jobcluster.jobs.completed").tags("tenant", "acme", "queue", "media", "type", "ocr").counter().count());
    assertEquals(1, labelled.get("jobcluster.attempt.run").tags("queue", "media", "type", "ocr").timer().count());
    assertTrue(labelled.scrape(NodeMetrics.CONTENT_TYPE).contains(
        "jobcluster_jobs_submitted_total{queue=\"media\",tenant=\"acme\",type=\"ocr\"} 1.0"), "same series name, one label more");
  }

  private double count(String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  private String scrape() {
    return metrics.scrape().toCompletableFuture().join();
  }

  /** The {@code le} bounds of the first series of a histogram, in order. */
  private static List<String> bounds(String text, String histogram) {
    Matcher first = Pattern.compile("(?m)^" + histogram + "_bucket\\{(.*),le=\"[^\"]*\"\\}").matcher(text);
    assertTrue(first.find(), histogram + " has no buckets: " + text);
    Matcher le = Pattern.compile("(?m)^" + histogram + "_bucket\\{" + Pattern.quote(first.group(1)) + ",le=\"([^\"]*)\"\\}").matcher(text);
    return le.results().map(match -> match.group(1)).toList();
  }

  private JobState observe(JobState before, JobEvent event) {
    JobState after = before.apply(event);
    metrics.persisted(after, event);
    return after;
  }
}
