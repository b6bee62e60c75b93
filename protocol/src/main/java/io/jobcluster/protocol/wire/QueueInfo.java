package io.jobcluster.protocol.wire;

import java.util.List;

/**
 * One queue's depth and the worker pools serving it.
 *
 * @param oldestPendingAgeSeconds how long the oldest PENDING job has waited; null when none waits
 * @param capacity the summed capacity of the pools serving the queue
 * @param unroutable PENDING jobs whose type no worker pool of the cluster takes, nor an external
 *     lease asked for in the last minute: they wait (they do not fail) until a worker for their type comes
 * @param unroutableTypes the types of those jobs, sorted
 */
public record QueueInfo(String queue, long pending, long scheduled, long running, long retrying, Long oldestPendingAgeSeconds, int workers,
    int capacity, long unroutable, List<String> unroutableTypes) {
  public QueueInfo {
    unroutableTypes = unroutableTypes == null ? List.of() : List.copyOf(unroutableTypes);
  }
}
