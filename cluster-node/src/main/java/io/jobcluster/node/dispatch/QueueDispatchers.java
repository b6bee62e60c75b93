package io.jobcluster.node.dispatch;

import io.jobcluster.protocol.QueueName;
import io.jobcluster.protocol.wire.DispatcherInfo;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** Asks a queue's dispatcher, wherever sharding runs it, what it holds; the dispatcher starts if it was not running. */
public final class QueueDispatchers {
  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public QueueDispatchers(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  /** @throws io.jobcluster.protocol.InvalidRequestException when {@code queue} is not a valid queue name */
  public CompletionStage<DispatcherInfo> status(String queue) {
    return sharding.entityRefFor(QueueDispatcher.TYPE_KEY, QueueName.require(queue)).ask(QueueDispatcher.GetStatus::new, askTimeout);
  }
}
