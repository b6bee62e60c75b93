package io.jobcluster.node.cli;

import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.client.JobclusterClient;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Follows a job by reading it every {@code interval} until it is no longer active (COMPLETED, FAILED,
 * CANCELLED or EXPIRED). Reading the job itself, not the read model, sees each change as it is persisted.
 */
final class JobPoller {
  private final JobclusterClient client;
  private final Duration interval;

  JobPoller(JobclusterClient client, Duration interval) {
    this.client = client;
    this.interval = interval;
  }

  /** Reads the job until it ends, showing {@code each} read to {@code seen}; answers the last one. */
  JobView awaitEnd(String jobId, Consumer<JobView> seen) throws InterruptedException {
    while (true) {
      JobView job = client.get(jobId);
      seen.accept(job);
      if (!job.status().isActive()) {
        return job;
      }
      pause();
    }
  }

  /** The pause between two reads: pacing, so that following a job costs the server little. */
  void pause() throws InterruptedException {
    Thread.sleep(interval.toMillis());
  }
}
