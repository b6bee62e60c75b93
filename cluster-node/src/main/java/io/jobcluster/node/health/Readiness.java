package io.jobcluster.node.health;

/** What readiness is made of: this node is an Up member, job sharding runs with every job shard started, the database answers. */
public record Readiness(boolean clusterJoined, boolean shardingStarted, boolean databaseReachable, int upMembers) {
  public boolean isReady() {
    return clusterJoined && shardingStarted && databaseReachable;
  }
}
