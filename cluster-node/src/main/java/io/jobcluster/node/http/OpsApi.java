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
    return queries.queueStats(principal.visibleTenant()).thenCombine(workers.pools(), (stats, pools) -> {
      Map<String, List<WorkerPool.PoolInfo>> poolsByQueue = pools.stream().collect(Collectors.groupingBy(WorkerPool.PoolInfo::queue));
      Map<String, QueueInfo> byQueue = new TreeMap<>();
      for (QueueStats queue : stats) {
        List<WorkerPool.PoolInfo> serving = poolsByQueue.getOrDefault(queue.queue(), List.of());
        Long age = queue.oldestPendingSince() == null ? null : queue.oldestPendingAge(clock.instant()).toSeconds();
        byQueue.put(queue.queue(), new QueueInfo(queue.queue(), queue.pending(), queue.scheduled(), queue.running(), queue.retrying(), age,
            serving.size(), serving.stream().mapToInt(WorkerPool.PoolInfo::capacity).sum()));
      }
      poolsByQueue.forEach((queue, serving) -> byQueue.computeIfAbsent(queue, name -> new QueueInfo(name, 0, 0, 0, 0, null, serving.size(),
          serving.stream().mapToInt(WorkerPool.PoolInfo::capacity).sum())));
      return Responses.json(StatusCodes.OK, new Items<>(List.copyOf(byQueue.values())));
    });
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
      return new WorkerInfo(worker.getKey(), EXTERNAL_NODE, queues, running, running, false);
    }).toList();
    return Responses.json(StatusCodes.OK, new Items<>(items));
  }

  private CompletionStage<HttpResponse> allPools() {
    return workers.pools().thenApply(pools -> {
      List<WorkerInfo> items = pools.stream()
          .map(pool -> new WorkerInfo(pool.workerId(), pool.node(), List.of(pool.queue()), pool.capacity(), pool.inFlight(), pool.draining()))
          .toList();
      return Responses.json(StatusCodes.OK, new Items<>(items));
    });
  }
}
