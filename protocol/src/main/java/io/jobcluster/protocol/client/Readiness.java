package io.jobcluster.protocol.client;

/**
 * A node's answer to {@code GET /health/ready}.
 *
 * @param status {@code ready} or {@code not_ready}
 * @param members the cluster members that are up, as the node sees them
 */
public record Readiness(String status, int members, boolean clusterJoined, boolean shardingStarted, boolean databaseReachable) {

  public boolean isReady() {
    return "ready".equals(status);
  }
}
