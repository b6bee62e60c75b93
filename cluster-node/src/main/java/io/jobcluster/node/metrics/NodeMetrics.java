package io.jobcluster.node.metrics;

import io.jobcluster.node.job.JobEventObserver;
import io.jobcluster.node.job.JobState;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The metrics of one node, served at {@code GET /metrics}. Job counters and histograms count what
 * this node's job entities persisted (sum them over the nodes); the queue gauges come from the read
 * model and are the same on every node (take one node's, or max over nodes).
 */
public final class NodeMetrics implements JobEventObserver {
  private static final List<String> QUEUE_TYPE = List.of("queue", "type");
  private static final double[] LATENCY_BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  private static final double[] RUN_BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};

  private final List<MetricFamily<?>> families = new ArrayList<>();
  private final List<Supplier<CompletionStage<Void>>> scrapeHooks = new ArrayList<>();

  public final Counter submitted = counter("jobcluster_jobs_submitted_total", "Jobs accepted (idempotent repeats not counted)", QUEUE_TYPE);
  public final Counter completed = counter("jobcluster_jobs_completed_total", "Jobs that ended COMPLETED", QUEUE_TYPE);
  public final Counter failed = counter("jobcluster_jobs_failed_total", "Jobs that ended FAILED (dead letters)", QUEUE_TYPE);
  public final Counter retried = counter("jobcluster_jobs_retried_total", "Failed attempts that will be retried after backoff", QUEUE_TYPE);
  public final Counter cancelled = counter("jobcluster_jobs_cancelled_total", "Jobs cancelled", QUEUE_TYPE);
  public final Counter expired = counter("jobcluster_jobs_expired_total", "Jobs that expired before they ran", QUEUE_TYPE);
  public final Counter leaseExpirations = counter("jobcluster_lease_expirations_total",
      "Attempts whose lease ran out without heartbeat or result", List.of("queue"));
  public final Counter workersLost = counter("jobcluster_attempts_worker_lost_total",
      "Attempts ended because their worker or its node was lost", List.of("queue"));
  public final Histogram dispatchLatency = histogram("jobcluster_dispatch_latency_seconds",
      "Time from a job becoming PENDING to its lease", List.of("queue"), LATENCY_BUCKETS);
  public final Histogram runTime = histogram("jobcluster_attempt_run_seconds",
      "Time from lease to result of an attempt (completed or failed)", QUEUE_TYPE, RUN_BUCKETS);
  public final Counter httpRequests = counter("jobcluster_http_requests_total", "HTTP requests answered",
      List.of("method", "route", "status"));
  public final Histogram httpLatency = histogram("jobcluster_http_request_duration_seconds", "Time to answer an HTTP request",
      List.of("method", "route"), LATENCY_BUCKETS);
  public final Gauge httpInFlight = gauge("jobcluster_http_requests_in_flight", "API requests being served by this node", List.of());
  public final Gauge queueJobs = gauge("jobcluster_queue_jobs", "Jobs per queue and active status (read model)", List.of("queue", "status"));
  public final Gauge oldestPendingAge = gauge("jobcluster_queue_oldest_pending_age_seconds",
      "Age of the oldest PENDING job per queue (read model)", List.of("queue"));
  public final Gauge clusterMembers = gauge("jobcluster_cluster_members", "Cluster members by status, as this node sees them",
      List.of("status"));
  public final Gauge unreachableMembers = gauge("jobcluster_cluster_unreachable_members", "Members this node cannot reach", List.of());

  private Counter counter(String name, String help, List<String> labels) {
    return register(new Counter(name, help, labels));
  }

  private Histogram histogram(String name, String help, List<String> labels, double... buckets) {
    return register(new Histogram(name, help, labels, buckets));
  }

  private Gauge gauge(String name, String help, List<String> labels) {
    return register(new Gauge(name, help, labels));
  }

  private synchronized <T extends MetricFamily<?>> T register(T family) {
    families.add(family);
    return family;
  }

  /** Something to run before each scrape, such as reading gauges; its failure leaves the old values. */
  public synchronized void beforeScrape(Supplier<CompletionStage<Void>> hook) {
    scrapeHooks.add(hook);
  }

  /** Runs the scrape hooks, then renders every metric in the Prometheus text format. */
  public CompletionStage<String> scrape() {
    List<CompletableFuture<Void>> hooks;
    synchronized (this) {
      hooks = scrapeHooks.stream()
          .map(hook -> hook.get().toCompletableFuture().exceptionally(failure -> null))
          .toList();
    }
    return CompletableFuture.allOf(hooks.toArray(CompletableFuture[]::new)).thenApply(done -> render());
  }

  String render() {
    PrometheusText out = new PrometheusText();
    List<MetricFamily<?>> all;
    synchronized (this) {
      all = List.copyOf(families);
    }
    all.forEach(out::family);
    return out.toString();
  }

  public static String contentType() {
    return PrometheusText.CONTENT_TYPE;
  }

  /** Counts what {@code event} says happened; queue and type are the job's, from its state after the event. */
  @Override
  public void persisted(JobState after, JobEvent event) {
    if (!(after instanceof JobState.Job job)) {
      return;
    }
    String queue = job.spec().queue();
    String type = job.spec().type();
    if (event instanceof JobEvent.Submitted) {
      submitted.inc(queue, type);
    } else if (event instanceof JobEvent.Leased leased) {
      dispatchLatency.observe(Duration.between(leased.pendingSince(), leased.at()), queue);
    } else if (event instanceof JobEvent.Completed done) {
      completed.inc(queue, type);
      runTime.observe(Duration.between(done.startedAt(), done.at()), queue, type);
    } else if (event instanceof JobEvent.AttemptFailed attempt) {
      attemptFailed(attempt, queue, type);
    } else if (event instanceof JobEvent.Cancelled) {
      cancelled.inc(queue, type);
    } else if (event instanceof JobEvent.Expired) {
      expired.inc(queue, type);
    }
  }

  private void attemptFailed(JobEvent.AttemptFailed attempt, String queue, String type) {
    if (attempt.cause() == FailureCause.LEASE_EXPIRED) {
      leaseExpirations.inc(queue);
    } else if (attempt.cause() == FailureCause.WORKER_LOST) {
      workersLost.inc(queue);
    }
    if (attempt.to() == JobStatus.FAILED) {
      failed.inc(queue, type);
    } else {
      retried.inc(queue, type);
    }
    runTime.observe(Duration.between(attempt.startedAt(), attempt.at()), queue, type);
  }
}
