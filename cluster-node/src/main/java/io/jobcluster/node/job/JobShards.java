package io.jobcluster.node.job;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts every job shard when the node starts, before it reports ready, so the first burst of
 * submissions never waits for the shard coordinator to allocate shards one at a time (when shards
 * still remembered their entities in the journal, 100 shards took 13 s under a burst on 2 cores,
 * past the 10 s ask timeout; up front they take a second or two).
 *
 * <p>A shard starts with its first message, so each gets a {@link ShardRegion.StartEntity} for an
 * id of its own. Those ids are not UUIDs, so no request names them; each answers as an unknown job
 * and leaves memory after {@code jobcluster.job.finished-idle-timeout}.
 */
public final class JobShards {
  private static final Logger log = LoggerFactory.getLogger(JobShards.class);
  private static final String ID_PREFIX = "shard-start-";
  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  private JobShards() {}

  /**
   * Completes once every job shard has started (on this node or wherever the coordinator put it).
   * An attempt unanswered after {@code attemptTimeout} is repeated, until the actor system stops.
   */
  public static CompletionStage<Done> startAll(ActorSystem<?> system, Duration attemptTimeout) {
    return startAll(system, JobEntity.TYPE_KEY.name(), attemptTimeout);
  }

  /**
   * Completes once every shard of the entity type {@code typeName} has started, like
   * {@link #startAll(ActorSystem, Duration)}; a type that remembers its entities starts them all.
   */
  public static CompletionStage<Done> startAll(ActorSystem<?> system, String typeName, Duration attemptTimeout) {
    long started = System.nanoTime();
    List<String> ids = entityIdPerShard(ClusterShardingSettings.create(system).numberOfShards());
    CompletableFuture<?>[] shards = ids.stream().map(id -> start(system, typeName, id, attemptTimeout).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(shards).thenApply(all -> {
      log.info("Shards started type={} shards={} tookMs={}", typeName, ids.size(), (System.nanoTime() - started) / 1_000_000);
      return Done.getInstance();
    });
  }

  /** One entity id per shard, in shard order, placed by the same extractor job sharding uses. */
  static List<String> entityIdPerShard(int numberOfShards) {
    HashCodeMessageExtractor<JobEntity.Command> extractor = new HashCodeMessageExtractor<>(numberOfShards);
    String[] ids = new String[numberOfShards];
    int found = 0;
    for (int n = 0; found < numberOfShards; n++) {
      String id = ID_PREFIX + n;
      int shard = Integer.parseInt(extractor.shardId(id));
      if (ids[shard] == null) {
        ids[shard] = id;
        found++;
      }
    }
    return List.of(ids);
  }

  private static CompletionStage<Object> start(ActorSystem<?> system, String typeName, String entityId, Duration attemptTimeout) {
    var region = ClusterSharding.get(Adapter.toClassic(system)).shardRegion(typeName);
    return Patterns.retry(() -> Patterns.ask(region, new ShardRegion.StartEntity(entityId), attemptTimeout),
        (ack, error) -> error != null && shouldAskAgain(system, entityId, error), Integer.MAX_VALUE, RETRY_DELAY, system);
  }

  private static boolean shouldAskAgain(ActorSystem<?> system, String entityId, Throwable error) {
    if (system.getWhenTerminated().toCompletableFuture().isDone()) {
      return false;
    }
    log.debug("Job shard not started yet, asking again entityId={} error={}", entityId, error.toString());
    return true;
  }
}
