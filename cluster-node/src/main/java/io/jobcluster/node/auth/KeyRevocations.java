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
 * Tells every node's {@link Authenticator} that a key was revoked, over a cluster pub-sub
 * {@link Topic}, so every node refuses it as soon as the notice arrives (well within a second)
 * instead of when its cache entry expires. The revoking node applies the notice at once, before
 * publishing it.
 *
 * <p>Pub-sub delivers at most once: a node that is unreachable when a key is revoked keeps the key
 * until its cache entry expires ({@code auth.cache-ttl}), the backstop.
 */
public final class KeyRevocations {
  static final String TOPIC = "jobcluster-api-key-revocations";
  private static final Duration STATS_TIMEOUT = Duration.ofSeconds(3);

  /** Crosses nodes, so it is a CBOR record; it names the key by its public id only, never its secret or hash. */
  public record Revoked(String keyId) implements CborSerializable {}

  private final ActorSystem<?> system;
  private final ActorRef<Topic.Command<Revoked>> topic;
  private final Authenticator authenticator;

  private KeyRevocations(ActorSystem<?> system, ActorRef<Topic.Command<Revoked>> topic, Authenticator authenticator) {
    this.system = system;
    this.topic = topic;
    this.authenticator = authenticator;
  }

  /** Joins the cluster's revocation topic on {@code system}; revocations from any node reach {@code authenticator}. */
  static KeyRevocations start(ActorSystem<?> system, Authenticator authenticator) {
    ActorRef<Topic.Command<Revoked>> topic = system.systemActorOf(Topic.create(Revoked.class, TOPIC), "api-key-revocations", Props.empty());
    ActorRef<Revoked> subscriber = system.systemActorOf(subscriber(authenticator), "api-key-revocation-subscriber", Props.empty());
    topic.tell(Topic.subscribe(subscriber));
    return new KeyRevocations(system, topic, authenticator);
  }

  private static Behavior<Revoked> subscriber(Authenticator authenticator) {
    return Behaviors.receive(Revoked.class).onMessage(Revoked.class, revoked -> {
      authenticator.revoked(revoked.keyId());
      return Behaviors.same();
    }).build();
  }

  /** Refuses key {@code keyId} on this node at once, then tells every other node. */
  void publish(String keyId) {
    authenticator.revoked(keyId);
    topic.tell(Topic.publish(new Revoked(keyId)));
  }

  /** How many topic instances (nodes) this node's topic knows of, as Pekko counts them (for tests and diagnostics). */
  public CompletionStage<Integer> topicInstances() {
    return AskPattern.<Topic.Command<Revoked>, Topic.TopicStats>ask(topic, Topic::getTopicStats, STATS_TIMEOUT, system.scheduler())
        .thenApply(Topic.TopicStats::topicInstanceCount);
  }
}
