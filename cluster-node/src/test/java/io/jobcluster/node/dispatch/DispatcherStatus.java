package io.jobcluster.node.dispatch;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.protocol.wire.DispatcherInfo;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What a queue's dispatcher holds right now, asked the way {@code GET /v1/queues/{queue}/dispatcher} asks. */
public final class DispatcherStatus {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private DispatcherStatus() {}

  public static DispatcherInfo of(JobclusterNode node, String queue) throws Exception {
    return new QueueDispatchers(node.system(), TIMEOUT).status(queue).toCompletableFuture().get(TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
  }
}
