package io.jobcluster.node.auth;

import io.jobcluster.protocol.CborSerializable;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Tells every node's {@link Authenticator} that a key was issued or revoked, over a cluster
 * pub-sub {@link Topic}: a revoked key is refused on every node as soon as its notice arrives (well
 * within a second), and a key issued on one node is no longer remembered as unknown on the others.
 * The issuing or revoking node applies its own notice at once, before publishing it.
 *
 * <p>Pub-sub delivers at most once: a node that is not reachable when a key is revoked keeps the
 * key until its positive cache expires ({@code auth.cache-ttl}), the backstop.
 */
public final class KeyNotices {
  static final String TOPIC = "jobcluster-api-key-notices";
  private static final Duration STATS_TIMEOUT = Duration.ofSeconds(3);

  /** What happened to key {@code keyId}. */
  public enum Change {
    ISSUED,
    REVOKED
  }

  /** Crosses nodes, so it is a CBOR record; it names the key by its public id only, never its secret or hash. */
  public record Notice(Change change, String keyId) implements CborSerializable {}

  private final ActorSystem<?> system;
  private final ActorRef<Topic.Command<Notice>> topic;
  private final Authenticator authenticator;

  private KeyNotices(ActorSystem<?> system, ActorRef<Topic.Command<Notice>> topic, Authenticator authenticator) {
    this.system = system;
    this.topic = topic;
    this.authenticator = authenticator;
  }

  /** Joins the cluster's key topic on {@code system}; notices from any node are applied to {@code authenticator}. */
  static KeyNotices start(ActorSystem<?> system, Authenticator authenticator) {
    ActorRef<Topic.Command<Notice>> topic = system.systemActorOf(Topic.create(Notice.class, TOPIC), "api-key-notices", Props.empty());
    ActorRef<Notice> subscriber = system.systemActorOf(subscriber(authenticator), "api-key-notice-subscriber", Props.empty());
    topic.tell(Topic.subscribe(subscriber));
    return new KeyNotices(system, topic, authenticator);
  }

  private static Behavior<Notice> subscriber(Authenticator authenticator) {
    return Behaviors.receive(Notice.class).onMessage(Notice.class, notice -> {
      apply(authenticator, notice);
      return Behaviors.same();
    }).build();
  }

  private static void apply(Authenticator authenticator, Notice notice) {
    if (notice.change() == Change.REVOKED) {
      authenticator.revoked(notice.keyId());
    } else {
      authenticator.issued(notice.keyId());
    }
  }

  /** Applies {@code notice} on this node at once, then tells every other node. */
  void publish(Notice notice) {
    apply(authenticator, notice);
    topic.tell(Topic.publish(notice));
  }

  /** How many nodes' topic instances this node's topic knows, itself included (for tests and diagnostics). */
  public CompletionStage<Integer> nodesReached() {
    return AskPattern.<Topic.Command<Notice>, Topic.TopicStats>ask(topic, Topic::getTopicStats, STATS_TIMEOUT, system.scheduler())
        .thenApply(Topic.TopicStats::topicInstanceCount);
  }
}
