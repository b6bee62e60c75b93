package io.jobcluster.protocol.wire;

import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobStatus;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One entry of a job's history ({@code GET /v1/jobs/{id}/history}): a status change, or a lease
 * renewed after a restart of the job's entity. Heartbeats change no status and are not shown;
 * lease ids (the fencing tokens) never are.
 *
 * @param seqNr the event's sequence number in the job's journal: the history's order
 * @param from null for the submission
 * @param workerId and {@code node}: the attempt's worker, for leases and attempt outcomes only
 */
public record JobTransition(
    String jobId, long seqNr, Instant at, JobStatus from, JobStatus to, int attempt, String workerId, String node, String detail) {

  /** What {@code event}, the job's {@code seqNr}-th, shows in the history; empty for heartbeats and deletions. */
  public static Optional<JobTransition> of(JobEvent event, long seqNr) {
    String worker = null;
    String node = null;
    String detail = null;
    if (event instanceof JobEvent.HeartbeatRecorded || event instanceof JobEvent.Deleted) {
      return Optional.empty();
    } else if (event instanceof JobEvent.Leased e) {
      worker = e.workerId();
      node = e.node();
      detail = "lease until " + e.leaseExpiresAt();
    } else if (event instanceof JobEvent.Completed e) {
      worker = e.workerId();
      node = e.node();
    } else if (event instanceof JobEvent.AttemptFailed e) {
      worker = e.workerId();
      node = e.node();
      detail = e.cause().name().toLowerCase(Locale.ROOT) + ": " + e.error();
    } else if (event instanceof JobEvent.HandedBack e) {
      worker = e.workerId();
      node = e.node();
      detail = "handed back unfinished; attempt not charged";
    } else if (event instanceof JobEvent.Cancelled e) {
      detail = e.reason();
    } else if (event instanceof JobEvent.Redriven e) {
      detail = "redriven with maxAttempts=" + e.maxAttempts();
    } else if (event instanceof JobEvent.LeaseRenewed e) {
      worker = e.workerId();
      node = e.node();
      detail = "lease renewed until " + e.leaseExpiresAt() + ": the job restarted while it ran";
    }
    return Optional.of(new JobTransition(event.jobId(), seqNr, event.at(), event.from(), event.to(), event.attempt(), worker, node, detail));
  }
}
