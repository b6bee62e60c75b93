package io.jobcluster.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;

import io.jobcluster.node.metrics.NodeMetrics;
import io.jobcluster.node.readmodel.JobQueries;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
  private static final ContentType PROMETHEUS = ContentTypes.parse(NodeMetrics.CONTENT_TYPE);

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
      return queries.queueStats(null).thenAccept(stats -> metrics.queues(stats, now));
    });
  }

  Route scrape() {
    return onComplete(metrics.scrape(), text -> text.isSuccess()
        ? complete(HttpResponse.create().withEntity(HttpEntities.create(PROMETHEUS, text.get().getBytes(StandardCharsets.UTF_8))))
        : complete(Responses.unavailable("metrics could not be gathered right now; try again")));
  }

  private void readMembers(Cluster cluster) {
    Map<String, Integer> byStatus = new HashMap<>();
    for (Member member : cluster.state().getMembers()) {
      byStatus.merge(member.status().toString().toLowerCase(), 1, Integer::sum);
    }
    metrics.clusterMembers(byStatus, cluster.state().getUnreachable().size());
  }
}
