package io.jobcluster.node.job;

import java.time.Instant;

/**
 * Told whenever a job becomes PENDING (and again when a PENDING job recovers), so the queue's
 * dispatcher learns of it at once; the dispatcher's reconciliation with the read model covers a
 * notice that got lost. Must not block.
 */
@FunctionalInterface
public interface JobReadyListener {
  JobReadyListener NONE = (queue, tenant, jobId, type, priority, readyAt) -> { };

  void jobReady(String queue, String tenant, String jobId, String type, int priority, Instant readyAt);
}
