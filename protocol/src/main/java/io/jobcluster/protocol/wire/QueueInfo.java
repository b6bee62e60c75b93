package io.jobcluster.protocol.wire;

/**
 * One queue's depth and the worker pools serving it.
 *
 * @param oldestPendingAgeSeconds how long the oldest PENDING job has waited; null when none waits
 * @param capacity the summed capacity of the pools serving the queue
 */
public record QueueInfo(String queue, long pending, long scheduled, long running, long retrying, Long oldestPendingAgeSeconds, int workers,
    int capacity) {}
