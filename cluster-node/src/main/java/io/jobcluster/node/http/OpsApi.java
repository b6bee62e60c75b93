package io.jobcluster.node.http;

import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.dispatch.QueueDispatchers;
import io.jobcluster.node.readmodel.JobQueries;
import io.jobcluster.node.readmodel.QueueStats;
import io.jobcluster.node.worker.WorkerDirectory;
import io.jobcluster.node.worker.WorkerPool;
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
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code /v1/stats}, {@code /v1/queues} and {@code /v1/workers}: counts and timings from the read
 * model (the caller's tenant, or all for an admin) and worker pools as they report themselves;
 * {@code /v1/queues/{queue}/dispatcher}: what a queue's dispatcher holds in memory.
 */
public final class OpsApi {
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
    return dispatchers.status(queue).thenApply(info -> Responses.json(StatusCodes.OK, info));
  }

  CompletionStage<HttpResponse> workers(Principal principal) {
    return workers.pools().thenApply(pools -> {
      List<WorkerInfo> items = pools.stream()
          .map(pool -> new WorkerInfo(pool.workerId(), pool.node(), List.of(pool.queue()), pool.capacity(), pool.inFlight(), pool.draining()))
          .toList();
      return Responses.json(StatusCodes.OK, new Items<>(items));
    });
  }
}
