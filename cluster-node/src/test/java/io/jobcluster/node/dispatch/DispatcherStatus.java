package io.jobcluster.node.dispatch;

import io.jobcluster.node.JobclusterNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** What a queue's dispatcher holds right now, asked through sharding (the dispatcher starts if it was not running). */
public final class DispatcherStatus {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private DispatcherStatus() {}

  public static QueueDispatcher.QueueStatus of(JobclusterNode node, String queue) throws Exception {
    return ClusterSharding.get(node.system()).entityRefFor(QueueDispatcher.TYPE_KEY, queue)
        .ask(QueueDispatcher.GetStatus::new, TIMEOUT).toCompletableFuture().get(TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
  }
}
