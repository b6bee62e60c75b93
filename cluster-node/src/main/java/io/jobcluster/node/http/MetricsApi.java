package io.jobcluster.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;

import io.jobcluster.node.metrics.NodeMetrics;
import io.jobcluster.node.readmodel.JobQueries;
import io.jobcluster.node.readmodel.QueueStats;
import io.jobcluster.protocol.JobStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics} in the Prometheus text format, without authentication (scrapers run on the
 * operators' network; it holds counts and queue names, no job content). Before each scrape it reads
 * cluster membership, and queue gauges from the read model at most once per {@code queueRefresh}.
 */
public final class MetricsApi {
  private static final ContentType PROMETHEUS = ContentTypes.parse(NodeMetrics.contentType());

  private final NodeMetrics metrics;

  public MetricsApi(NodeMetrics metrics, ActorSystem<?> system, JobQueries queries, Clock clock, Duration queueRefresh) {
    this.metrics = metrics;
    metrics.beforeScrape(() -> {
      readMembers(Cluster.get(system));
      return CompletableFuture.completedFuture(null);
    });
    AtomicReference<Instant> lastRead = new AtomicReference<>(Instant.MIN);
    metrics.beforeScrape(() -> {
      Instant now = clock.instant();
      Instant last = lastRead.get();
      if (Duration.between(last, now).compareTo(queueRefresh) < 0 || !lastRead.compareAndSet(last, now)) {
        return CompletableFuture.completedFuture(null);
      }
      return queries.queueStats(null).thenAccept(stats -> readQueues(stats, now));
    });
  }

  Route scrape() {
    return onComplete(metrics.scrape(), text -> text.isSuccess()
        ? complete(HttpResponse.create().withEntity(HttpEntities.create(PROMETHEUS, text.get().getBytes(StandardCharsets.UTF_8))))
        : complete(Responses.unavailable("metrics could not be gathered right now; try again")));
  }

  private void readMembers(Cluster cluster) {
    Map<List<String>, Double> byStatus = new HashMap<>();
    for (Member member : cluster.state().getMembers()) {
      byStatus.merge(List.of(member.status().toString().toLowerCase()), 1.0, Double::sum);
    }
    metrics.clusterMembers.setAll(byStatus);
    metrics.unreachableMembers.set(cluster.state().getUnreachable().size());
  }

  private void readQueues(List<QueueStats> stats, Instant now) {
    Map<List<String>, Double> jobs = new HashMap<>();
    Map<List<String>, Double> ages = new HashMap<>();
    for (QueueStats queue : stats) {
      jobs.put(List.of(queue.queue(), JobStatus.PENDING.name()), (double) queue.pending());
      jobs.put(List.of(queue.queue(), JobStatus.SCHEDULED.name()), (double) queue.scheduled());
      jobs.put(List.of(queue.queue(), JobStatus.RUNNING.name()), (double) queue.running());
      jobs.put(List.of(queue.queue(), JobStatus.RETRYING.name()), (double) queue.retrying());
      ages.put(List.of(queue.queue()), queue.oldestPendingSince() == null ? 0.0 : queue.oldestPendingAge(now).toMillis() / 1000.0);
    }
    metrics.queueJobs.setAll(jobs);
    metrics.oldestPendingAge.setAll(ages);
  }
}
