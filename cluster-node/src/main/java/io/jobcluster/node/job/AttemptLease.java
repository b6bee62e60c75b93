package io.jobcluster.node.job;

import java.time.Instant;

/**
 * The running attempt's lease. {@code attempt} and {@code leaseId} together are the fencing token:
 * a worker's heartbeat, completion or failure counts only while its lease id is the current one.
 */
public record AttemptLease(int attempt, String leaseId, String workerId, String node, Instant startedAt, Instant expiresAt) {

  public boolean isHeldBy(String candidateLeaseId) {
    return leaseId.equals(candidateLeaseId);
  }

  AttemptLease extendedTo(Instant newExpiry) {
    return new AttemptLease(attempt, leaseId, workerId, node, startedAt, newExpiry);
  }
}
