package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A node's answer to {@code GET /health/ready}: ready when it is an Up member of the cluster, job
 * sharding runs with every job shard started, and the database answers.
 *
 * @param status {@code ready}, {@code not_ready}, or {@code draining} (asked to drain: it takes no new work, whatever the checks say)
 * @param members the cluster members that are up, as the node sees them
 */
public record Readiness(String status, int members, boolean clusterJoined, boolean shardingStarted, boolean databaseReachable) {
  public static final String READY = "ready";
  public static final String NOT_READY = "not_ready";
  public static final String DRAINING = "draining";

  /** The answer those three checks give. */
  public static Readiness of(boolean clusterJoined, boolean shardingStarted, boolean databaseReachable, int members) {
    boolean ready = clusterJoined && shardingStarted && databaseReachable;
    return new Readiness(ready ? READY : NOT_READY, members, clusterJoined, shardingStarted, databaseReachable);
  }

  /** The same checks, answered as {@code draining}: not ready, so load balancers stop sending work. */
  public Readiness draining() {
    return new Readiness(DRAINING, members, clusterJoined, shardingStarted, databaseReachable);
  }

  @JsonIgnore
  public boolean isReady() {
    return READY.equals(status);
  }
}
