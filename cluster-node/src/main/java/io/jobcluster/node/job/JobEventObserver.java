package io.jobcluster.node.job;

import io.jobcluster.protocol.JobEvent;

/**
 * Told of every event a job entity persisted (not of events replayed in recovery), with the state
 * after it; metrics count jobs this way. Runs on the entity's thread: must be quick and not block.
 */
@FunctionalInterface
public interface JobEventObserver {
  JobEventObserver NONE = (after, event) -> { };

  void persisted(JobState after, JobEvent event);
}
