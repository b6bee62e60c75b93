package io.jobcluster.node;

import io.jobcluster.node.health.DatabaseHealth;
import io.jobcluster.node.job.JobEntity;
import io.jobcluster.protocol.wire.Readiness;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.Patterns;

/**
 * Whether this node is ready: joined (this member is Up), job sharding answers with every job and schedule shard
 * started (so the shards' start-up writes are over), and the database
 * answers; never once it was asked to drain.
 */
final class NodeReadiness {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final ActorSystem<?> system;
  private final CompletableFuture<Done> shardsStarted;
  private final DatabaseHealth databaseHealth;
  private final BooleanSupplier draining;

  /** @param draining whether the node was asked to drain (POST /drain): it then answers {@code draining}, never ready */
  NodeReadiness(ActorSystem<?> system, CompletableFuture<Done> shardsStarted, DatabaseHealth databaseHealth, BooleanSupplier draining) {
    this.system = system;
    this.shardsStarted = shardsStarted;
    this.databaseHealth = databaseHealth;
    this.draining = draining;
  }

  CompletionStage<Readiness> check() {
    boolean joined = Cluster.get(system).selfMember().status() == MemberStatus.up();
    int upMembers = upMembers(system);
    CompletionStage<Boolean> sharding = joined && shardsStarted.isDone() ? shardingAnswers() : CompletableFuture.completedFuture(false);
    return sharding.thenCombine(databaseHealth.isReachable(), (shardingUp, dbUp) -> {
      Readiness checks = Readiness.of(joined, shardingUp, dbUp, upMembers);
      return draining.getAsBoolean() ? checks.draining() : checks;
    });
  }

  static int upMembers(ActorSystem<?> system) {
    return (int) StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }

  private CompletionStage<Boolean> shardingAnswers() {
    // The question goes through the shard coordinator, so an answer means sharding is working.
    var region = org.apache.pekko.cluster.sharding.ClusterSharding.get(Adapter.toClassic(system)).shardRegion(JobEntity.TYPE_KEY.name());
    return Patterns.ask(region, ShardRegion.getCurrentRegionsInstance(), PROBE_TIMEOUT)
        .handle((answer, error) -> error == null);
  }
}
