package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobStatus;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One status change in a job's history, and lease renewals after a restart of the job's entity.
 * Heartbeats change no status and are not kept; lease ids (the fencing tokens) stay out of the history.
 *
 * @param seqNr the event's sequence number in the job's journal, the history's order
 * @param from null for the submission
 * @param workerId and {@code node}: the attempt's worker, for lease and attempt outcomes only
 */
public record JobTransition(
    String jobId, long seqNr, Instant at, JobStatus from, JobStatus to, int attempt, String workerId, String node, String detail) {

  /** The transition {@code event} made, with worker and node from the job's row after it. */
  static Optional<JobTransition> of(JobEvent event, long seqNr, JobRow after) {
    if (event instanceof JobEvent.HeartbeatRecorded || event instanceof JobEvent.Deleted) {
      return Optional.empty();
    }
    String worker = null;
    String detail = null;
    if (event instanceof JobEvent.Leased e) {
      worker = e.workerId();
      detail = "lease until " + e.leaseExpiresAt();
    } else if (event instanceof JobEvent.Completed e) {
      worker = e.workerId();
    } else if (event instanceof JobEvent.AttemptFailed e) {
      worker = e.workerId();
      detail = e.cause().name().toLowerCase(Locale.ROOT) + ": " + e.error();
    } else if (event instanceof JobEvent.HandedBack e) {
      worker = e.workerId();
      detail = "handed back unfinished; attempt not charged";
    } else if (event instanceof JobEvent.Cancelled e) {
      detail = e.reason();
    } else if (event instanceof JobEvent.Redriven e) {
      detail = "redriven with maxAttempts=" + e.maxAttempts();
    } else if (event instanceof JobEvent.LeaseRenewed e) {
      worker = after.workerId();
      detail = "lease renewed until " + e.leaseExpiresAt() + ": the job restarted while it ran";
    }
    String node = worker == null ? null : after.node();
    return Optional.of(new JobTransition(event.jobId(), seqNr, Sql.micros(event.at()), event.from(), event.to(), event.attempt(),
        worker, node, detail));
  }
}
