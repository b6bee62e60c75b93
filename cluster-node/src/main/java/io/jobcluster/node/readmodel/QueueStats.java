package io.jobcluster.node.readmodel;

import java.time.Duration;
import java.time.Instant;

/**
 * The active jobs of one queue.
 *
 * @param oldestPendingSince when the longest-waiting PENDING job became ready; null when none waits
 */
public record QueueStats(String queue, long pending, long scheduled, long running, long retrying, Instant oldestPendingSince) {

  /** How long the oldest PENDING job has waited at {@code now}; zero when none waits. */
  public Duration oldestPendingAge(Instant now) {
    if (oldestPendingSince == null || now.isBefore(oldestPendingSince)) {
      return Duration.ZERO;
    }
    return Duration.between(oldestPendingSince, now);
  }
}
