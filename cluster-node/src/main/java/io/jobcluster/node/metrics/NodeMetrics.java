package io.jobcluster.node.metrics;

import io.jobcluster.node.job.JobEventObserver;
import io.jobcluster.node.job.JobState;
import io.jobcluster.node.readmodel.QueueStats;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BinaryOperator;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The project's metrics of one node on the node's Micrometer registry, served at {@code GET
 * /metrics} on the management port. No label names a tenant unless {@code metrics.tenant-labels}
 * is on. Job counters and timers count what this node's job entities persisted (sum them over
 * the nodes); the queue gauges come from the read model and are the same on every node (take one
 * node's, or max over nodes); the worker slot gauges are this node's pools (sum over nodes). Micrometer names are dotted; the Prometheus registry writes them as
 * before: counters get {@code _total}, timers {@code _seconds}.
 */
public final class NodeMetrics implements JobEventObserver {
  /** The Prometheus text format (0.0.4) that {@link #scrape()} writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final List<String> QUEUE = List.of("queue");
  private static final List<String> QUEUE_TYPE = List.of("queue", "type");
  private static final List<String> TENANT_QUEUE_TYPE = List.of("tenant", "queue", "type");
  private static final Duration[] LATENCY_BUCKETS = seconds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
  private static final Duration[] RUN_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600);

  private final PrometheusMeterRegistry registry;
  private final boolean tenantLabels;
  private final List<Supplier<CompletionStage<Void>>> scrapeHooks = new CopyOnWriteArrayList<>();

  private final LabelledMeters<Counter> submitted;
  private final LabelledMeters<Counter> completed;
  private final LabelledMeters<Counter> failed;
  private final LabelledMeters<Counter> retried;
  private final LabelledMeters<Counter> cancelled;
  private final LabelledMeters<Counter> expired;
  private final LabelledMeters<Counter> leaseExpirations;
  private final LabelledMeters<Counter> workersLost;
  private final LabelledMeters<Timer> dispatchLatency;
  private final LabelledMeters<Timer> runTime;
  private final LabelledMeters<Counter> httpRequests;
  private final LabelledMeters<Timer> httpLatency;
  private final MultiGauge queueJobs;
  private final MultiGauge oldestPendingAge;
  private final MultiGauge clusterMembers;
  private final MultiGauge workerSlots;
  private final MultiGauge workerSlotsBusy;
  private final AtomicInteger unreachableMembers = new AtomicInteger();

  /** Metrics without tenant names in any label (the default). */
  public NodeMetrics(PrometheusMeterRegistry registry) {
    this(registry, false);
  }

  /**
   * @param tenantLabels whether the job counters ({@code jobcluster_jobs_*_total}) carry a {@code tenant}
   *     label; off by default, since whoever reads the metrics would learn every tenant's name
   */
  public NodeMetrics(PrometheusMeterRegistry registry, boolean tenantLabels) {
    this.registry = registry;
    this.tenantLabels = tenantLabels;
    List<String> jobLabels = tenantLabels ? TENANT_QUEUE_TYPE : QUEUE_TYPE;
    submitted = counter("jobcluster.jobs.submitted", "Jobs accepted (idempotent repeats not counted)", jobLabels);
    completed = counter("jobcluster.jobs.completed", "Jobs that ended COMPLETED", jobLabels);
    failed = counter("jobcluster.jobs.failed", "Jobs that ended FAILED (dead letters)", jobLabels);
    retried = counter("jobcluster.jobs.retried", "Failed attempts that will be retried after backoff", jobLabels);
    cancelled = counter("jobcluster.jobs.cancelled", "Jobs cancelled", jobLabels);
    expired = counter("jobcluster.jobs.expired", "Jobs that expired before they ran", jobLabels);
    leaseExpirations = counter("jobcluster.lease.expirations", "Attempts whose lease ran out without heartbeat or result", QUEUE);
    workersLost = counter("jobcluster.attempts.worker.lost", "Attempts ended because their worker or its node was lost", QUEUE);
    dispatchLatency = timer("jobcluster.dispatch.latency", "Time from a job becoming PENDING to its lease", QUEUE, LATENCY_BUCKETS);
    runTime = timer("jobcluster.attempt.run", "Time from lease to result of an attempt (completed or failed)", QUEUE_TYPE, RUN_BUCKETS);
    httpRequests = counter("jobcluster.http.requests", "HTTP requests answered", List.of("method", "route", "status"));
    httpLatency = timer("jobcluster.http.request.duration", "Time to answer an HTTP request", List.of("method", "route"), LATENCY_BUCKETS);
    queueJobs = MultiGauge.builder("jobcluster.queue.jobs").description("Jobs per queue and active status (read model)").register(registry);
    oldestPendingAge = MultiGauge.builder("jobcluster.queue.oldest.pending.age.seconds")
        .description("Age of the oldest PENDING job per queue (read model)").register(registry);
    clusterMembers = MultiGauge.builder("jobcluster.cluster.members").description("Cluster members by status, as this node sees them")
        .register(registry);
    workerSlots = MultiGauge.builder("jobcluster.worker.slots").description("Worker slots of this node's pool per queue (sum over nodes)")
        .register(registry);
    workerSlotsBusy = MultiGauge.builder("jobcluster.worker.slots.busy")
        .description("Attempts this node's pool runs per queue, results being reported included (sum over nodes)").register(registry);
    Gauge.builder("jobcluster.cluster.unreachable.members", unreachableMembers, AtomicInteger::get)
        .description("Members this node cannot reach").strongReference(true).register(registry);
  }

  private LabelledMeters<Counter> counter(String name, String help, List<String> labels) {
    return new LabelledMeters<>(labels, tags -> Counter.builder(name).description(help).tags(tags).register(registry));
  }

  private LabelledMeters<Timer> timer(String name, String help, List<String> labels, Duration[] buckets) {
    return new LabelledMeters<>(labels,
        tags -> Timer.builder(name).description(help).tags(tags).serviceLevelObjectives(buckets).register(registry));
  }

  private static Duration[] seconds(double... bounds) {
    return Arrays.stream(bounds).mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
  }

  /** Something to run before each scrape, such as reading gauges; its failure leaves the old values. */
  public void beforeScrape(Supplier<CompletionStage<Void>> hook) {
    scrapeHooks.add(hook);
  }

  /** Runs the scrape hooks, then renders every meter in the Prometheus text format ({@link #CONTENT_TYPE}). */
  public CompletionStage<String> scrape() {
    CompletableFuture<?>[] hooks = scrapeHooks.stream()
        .map(hook -> hook.get().toCompletableFuture().exceptionally(failure -> null))
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(hooks).thenApply(done -> registry.scrape(CONTENT_TYPE));
  }

  /** Counts and times one answered HTTP request by its route template. */
  public void httpAnswered(String method, String route, int status, long nanos) {
    httpRequests.with(method, route, Integer.toString(status)).increment();
    httpLatency.with(method, route).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The API requests this node is serving, read at each scrape. */
  public void httpInFlight(IntSupplier requests) {
    Gauge.builder("jobcluster.http.requests.in.flight", requests::getAsInt).description("API requests being served by this node")
        .strongReference(true).register(registry);
  }

  /** Replaces the member gauges with this view of the cluster (members per lowercase status). */
  public void clusterMembers(Map<String, Integer> byStatus, int unreachable) {
    Map<List<String>, Double> samples = new HashMap<>();
    byStatus.forEach((status, count) -> samples.put(List.of(status), count.doubleValue()));
    replace(clusterMembers, List.of("status"), samples, Double::sum);
    unreachableMembers.set(unreachable);
  }

  /** Replaces the worker slot gauges with this node's pools: per queue, its slots and the attempts it runs. */
  public void workerSlots(Map<String, Integer> slots, Map<String, Integer> busy) {
    Map<List<String>, Double> slotSamples = new LinkedHashMap<>();
    Map<List<String>, Double> busySamples = new LinkedHashMap<>();
    slots.forEach((queue, count) -> slotSamples.put(List.of(queue), count.doubleValue()));
    busy.forEach((queue, count) -> busySamples.put(List.of(queue), count.doubleValue()));
    replace(workerSlots, QUEUE, slotSamples, Double::sum);
    replace(workerSlotsBusy, QUEUE, busySamples, Double::sum);
  }

  /** Replaces the queue gauges with the read model's active jobs per queue, ages as at {@code now}. */
  public void queues(List<QueueStats> stats, Instant now) {
    Map<List<String>, Double> jobs = new LinkedHashMap<>();
    Map<List<String>, Double> ages = new LinkedHashMap<>();
    for (QueueStats queue : stats) {
      jobs.put(List.of(queue.queue(), JobStatus.PENDING.name()), (double) queue.pending());
      jobs.put(List.of(queue.queue(), JobStatus.SCHEDULED.name()), (double) queue.scheduled());
      jobs.put(List.of(queue.queue(), JobStatus.RUNNING.name()), (double) queue.running());
      jobs.put(List.of(queue.queue(), JobStatus.RETRYING.name()), (double) queue.retrying());
      ages.put(List.of(queue.queue()), queue.oldestPendingAge(now).toMillis() / 1000.0);
    }
    replace(queueJobs, List.of("queue", "status"), jobs, Double::sum);
    replace(oldestPendingAge, QUEUE, ages, Math::max);
  }

  /** Series missing from {@code samples} disappear from the gauge. */
  private static void replace(MultiGauge gauge, List<String> labels, Map<List<String>, Double> samples, BinaryOperator<Double> overflowMerge) {
    gauge.register(LabelledMeters.capped(samples, overflowMerge).entrySet().stream()
        .map(sample -> MultiGauge.Row.of(LabelledMeters.tags(labels, sample.getKey()), sample.getValue()))
        .toList(), true);
  }

  /** Counts what {@code event} says happened; queue and type are the job's, from its state after the event. */
  @Override
  public void persisted(JobState after, JobEvent event) {
    if (!(after instanceof JobState.Job job)) {
      return;
    }
    String queue = job.spec().queue();
    String type = job.spec().type();
    String[] jobLabels = tenantLabels ? new String[] {job.tenant(), queue, type} : new String[] {queue, type};
    if (event instanceof JobEvent.Submitted) {
      submitted.with(jobLabels).increment();
    } else if (event instanceof JobEvent.Leased leased) {
      observe(dispatchLatency.with(queue), leased.pendingSince(), leased.at());
    } else if (event instanceof JobEvent.Completed done) {
      completed.with(jobLabels).increment();
      observe(runTime.with(queue, type), done.startedAt(), done.at());
    } else if (event instanceof JobEvent.AttemptFailed attempt) {
      attemptFailed(attempt, queue, type, jobLabels);
    } else if (event instanceof JobEvent.Cancelled) {
      cancelled.with(jobLabels).increment();
    } else if (event instanceof JobEvent.Expired) {
      expired.with(jobLabels).increment();
    }
  }

  private void attemptFailed(JobEvent.AttemptFailed attempt, String queue, String type, String[] jobLabels) {
    if (attempt.cause() == FailureCause.LEASE_EXPIRED) {
      leaseExpirations.with(queue).increment();
    } else if (attempt.cause() == FailureCause.WORKER_LOST) {
      workersLost.with(queue).increment();
    }
    (attempt.to() == JobStatus.FAILED ? failed : retried).with(jobLabels).increment();
    observe(runTime.with(queue, type), attempt.startedAt(), attempt.at());
  }

  /** Times from another node's clock can lie a little ahead: such a span counts as zero (Micrometer would drop it). */
  private static void observe(Timer timer, Instant from, Instant to) {
    timer.record(Math.max(0, Duration.between(from, to).toNanos()), TimeUnit.NANOSECONDS);
  }
}
