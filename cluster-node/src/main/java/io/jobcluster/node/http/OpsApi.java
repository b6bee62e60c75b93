package io.jobcluster.node.http;

import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.dispatch.QueueDispatchers;
import io.jobcluster.node.readmodel.JobQueries;
import io.jobcluster.node.readmodel.QueueStats;
import io.jobcluster.node.readmodel.WorkerLoad;
import io.jobcluster.protocol.WorkerId;
import io.jobcluster.node.worker.WorkerDirectory;
import io.jobcluster.node.worker.WorkerPool;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.DispatcherInfo;
import io.jobcluster.protocol.wire.FinishedTimings;
import io.jobcluster.protocol.wire.Items;
import io.jobcluster.protocol.wire.QueueInfo;
import io.jobcluster.protocol.wire.Stats;
import io.jobcluster.protocol.wire.WorkerInfo;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code /v1/stats}, {@code /v1/queues} and {@code /v1/workers}: counts and timings from the read
 * model (the caller's tenant, or all for the operator) and workers: the cluster's pools as they
 * report themselves (the operator), or the tenant's external workers (a tenant).
 * {@code /v1/queues/{queue}/dispatcher}: what a queue's dispatcher holds in memory (the operator).
 */
public final class OpsApi {
  /** The node an external worker is listed on: it runs outside the cluster. */
  static final String EXTERNAL_NODE = "external";

  private final JobQueries queries;
  private final WorkerDirectory workers;
  private final QueueDispatchers dispatchers;
  private final Clock clock;

  public OpsApi(JobQueries queries, WorkerDirectory workers, QueueDispatchers dispatchers, Clock clock) {
    this.queries = queries;
    this.workers = workers;
    this.dispatchers = dispatchers;
    this.clock = clock;
  }

  /** Counts of every job by status, and timings of the jobs that finished in {@code ?window=} (default the last hour). */
  CompletionStage<HttpResponse> stats(Principal principal, Map<String, String> parameters) {
    StatsWindow window = StatsWindow.parse(parameters.get("window"));
    String tenant = principal.visibleTenant();
    return queries.countsByStatus(tenant).thenCombine(queries.finishedTimings(tenant, clock.instant().minus(window.length())),
        (counts, timings) -> Responses.json(StatusCodes.OK, stats(counts, window, timings)));
  }

  private static Stats stats(Map<JobStatus, Long> counts, StatsWindow window, List<FinishedTimings> timings) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    Double successRate = Stats.successRate(counts.getOrDefault(JobStatus.COMPLETED, 0L), counts.getOrDefault(JobStatus.FAILED, 0L));
    return new Stats(total, counts, successRate, window.text(), timings);
  }

  CompletionStage<HttpResponse> queues(Principal principal) {
    String tenant = principal.visibleTenant();
    CompletionStage<List<WorkerPool.PoolInfo>> pools = workers.pools();
    CompletionStage<Map<String, Map<String, Long>>> unroutable = queries.pendingByType(tenant)
        .thenCombine(pools, this::unroutable).thenCompose(stage -> stage);
    return queries.queueStats(tenant).thenCombine(pools, (stats, found) -> queueInfos(stats, found))
        .thenCombine(unroutable, OpsApi::withUnroutable)
        .thenApply(queues -> Responses.json(StatusCodes.OK, new Items<>(queues)));
  }

  private List<QueueInfo> queueInfos(List<QueueStats> stats, List<WorkerPool.PoolInfo> pools) {
    Map<String, List<WorkerPool.PoolInfo>> poolsByQueue = pools.stream().collect(Collectors.groupingBy(WorkerPool.PoolInfo::queue));
    Map<String, QueueInfo> byQueue = new TreeMap<>();
    for (QueueStats queue : stats) {
      List<WorkerPool.PoolInfo> serving = poolsByQueue.getOrDefault(queue.queue(), List.of());
      Long age = queue.oldestPendingSince() == null ? null : queue.oldestPendingAge(clock.instant()).toSeconds();
      byQueue.put(queue.queue(), new QueueInfo(queue.queue(), queue.pending(), queue.scheduled(), queue.running(), queue.retrying(), age,
          serving.size(), serving.stream().mapToInt(WorkerPool.PoolInfo::capacity).sum(), 0, List.of()));
    }
    poolsByQueue.forEach((queue, serving) -> byQueue.computeIfAbsent(queue, name -> new QueueInfo(name, 0, 0, 0, 0, null, serving.size(),
        serving.stream().mapToInt(WorkerPool.PoolInfo::capacity).sum(), 0, List.of())));
    return List.copyOf(byQueue.values());
  }

  private static List<QueueInfo> withUnroutable(List<QueueInfo> queues, Map<String, Map<String, Long>> unroutable) {
    return queues.stream().map(queue -> {
      Map<String, Long> waiting = unroutable.getOrDefault(queue.queue(), Map.of());
      return new QueueInfo(queue.queue(), queue.pending(), queue.scheduled(), queue.running(), queue.retrying(), queue.oldestPendingAgeSeconds(),
          queue.workers(), queue.capacity(), waiting.values().stream().mapToLong(Long::longValue).sum(), List.copyOf(waiting.keySet()));
    }).toList();
  }

  /**
   * Of the PENDING jobs by queue and type, those whose type no worker takes: the queue's dispatcher
   * knows the types its pools take and external leases asked for lately; a dispatcher that does not
   * answer is stood in for by the types of the queue's registered pools.
   */
  private CompletionStage<Map<String, Map<String, Long>>> unroutable(Map<String, Map<String, Long>> pendingByType,
      List<WorkerPool.PoolInfo> pools) {
    Map<String, CompletableFuture<Map<String, Long>>> byQueue = new TreeMap<>();
    pendingByType.forEach((queue, byType) -> byQueue.put(queue, dispatchers.status(queue).toCompletableFuture()
        .thenApply(DispatcherInfo::routedTypes)
        .exceptionally(failure -> pools.stream().filter(pool -> pool.queue().equals(queue)).flatMap(pool -> pool.types().stream()).toList())
        .thenApply(routed -> notRouted(byType, routed))));
    return CompletableFuture.allOf(byQueue.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
      Map<String, Map<String, Long>> result = new TreeMap<>();
      byQueue.forEach((queue, waiting) -> result.put(queue, waiting.join()));
      return result;
    });
  }

  /** The counts of the types not in {@code routed} (null: every type is routed). */
  private static Map<String, Long> notRouted(Map<String, Long> byType, List<String> routed) {
    Map<String, Long> waiting = new TreeMap<>(byType);
    if (routed == null) {
      return Map.of();
    }
    waiting.keySet().removeAll(routed);
    return waiting;
  }

  /** The dispatcher's own state: where it runs, what is ready, which pools asked (operators; the state spans tenants). */
  CompletionStage<HttpResponse> dispatcher(Principal principal, String queue) {
    if (!principal.isOperator()) {
      return CompletableFuture.completedFuture(Responses.error(ErrorCode.FORBIDDEN, "only the operator's key sees a dispatcher: it holds every tenant's work"));
    }
    return dispatchers.status(queue).thenApply(info -> Responses.json(StatusCodes.OK, info));
  }

  /**
   * The operator sees every worker pool of the cluster. A tenant sees its own workers: the external
   * (HTTP) workers that hold its RUNNING jobs, from the read model, each with the leases it holds as
   * {@code inFlight} and {@code capacity}, on node {@value #EXTERNAL_NODE}. The cluster's pools serve
   * every tenant, so their load is other tenants' data too: tenants see them only as counts in
   * {@code /v1/queues}.
   */
  CompletionStage<HttpResponse> workers(Principal principal) {
    String tenant = principal.visibleTenant();
    return tenant == null ? allPools() : queries.runningByWorker(tenant).thenApply(OpsApi::externalWorkers);
  }

  private static HttpResponse externalWorkers(List<WorkerLoad> loads) {
    Map<String, List<WorkerLoad>> byWorker = loads.stream().filter(load -> WorkerId.parse(load.workerId()).isEmpty())
        .collect(Collectors.groupingBy(WorkerLoad::workerId, TreeMap::new, Collectors.toList()));
    List<WorkerInfo> items = byWorker.entrySet().stream().map(worker -> {
      int running = worker.getValue().stream().mapToInt(WorkerLoad::running).sum();
      List<String> queues = worker.getValue().stream().map(WorkerLoad::queue).sorted().toList();
      return new WorkerInfo(worker.getKey(), EXTERNAL_NODE, queues, running, running, false, null);
    }).toList();
    return Responses.json(StatusCodes.OK, new Items<>(items));
  }

  private CompletionStage<HttpResponse> allPools() {
    return workers.pools().thenApply(pools -> {
      List<WorkerInfo> items = pools.stream()
          .map(pool -> new WorkerInfo(pool.workerId(), pool.node(), List.of(pool.queue()), pool.capacity(), pool.inFlight(), pool.draining(),
              pool.types()))
          .toList();
      return Responses.json(StatusCodes.OK, new Items<>(items));
    });
  }
}
