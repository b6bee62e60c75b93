package io.jobcluster.protocol.wire;

import io.jobcluster.protocol.JobStatus;
import java.time.Instant;

/**
 * The data of one Server-Sent Event of {@code GET /v1/jobs/{id}/events} and {@code GET /v1/events}
 * ({@code event: transition}): a job's status change, with the queue and type it belongs to.
 *
 * @param from null for the submission
 */
public record TransitionEvent(String jobId, JobStatus from, JobStatus to, Instant at, int attempt, String queue, String type) {

  /** The SSE event name of a transition. */
  public static final String EVENT = "transition";

  /** Whether a job that reached {@code status} is done: terminal, or FAILED (a dead letter, until redriven). */
  public static boolean finishes(JobStatus status) {
    return status.isTerminal() || status == JobStatus.FAILED;
  }
}
