package io.jobcluster.node.readmodel;

import io.jobcluster.node.job.JobState;
import io.jobcluster.protocol.BackoffPolicy;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Event histories of single jobs, as the job entity persists them, with a clock that moves a
 * second per event. Covers every event type and every way into and out of each status.
 */
public final class JobEvents {
  public static final Instant T0 = Instant.parse("2030-01-01T00:00:00.123456Z");

  private final String jobId;
  private final List<JobEvent> events = new ArrayList<>();
  private Instant now = T0;
  private JobSpec spec;
  private Instant pendingSince;
  private String node;
  private Instant startedAt;

  public JobEvents(String jobId) {
    this.jobId = jobId;
  }

  public List<JobEvent> events() {
    return List.copyOf(events);
  }

  public Instant now() {
    return now;
  }

  /** Lets {@code seconds} pass before the next event. */
  public JobEvents idle(long seconds) {
    now = now.plusSeconds(seconds);
    return this;
  }

  private Instant tick() {
    now = now.plusSeconds(1);
    return now;
  }

  public JobEvents submitted(String tenant, JobRequest request) {
    spec = JobSpec.from(request, tick());
    JobStatus initial = spec.initialStatus(now);
    boolean pending = initial == JobStatus.PENDING;
    pendingSince = now;
    events.add(new JobEvent.Submitted(jobId, tenant, spec, initial, pending ? JobState.Pending.deadline(spec) : JobState.Scheduled.deadline(spec),
        now));
    return this;
  }

  public JobEvents madePending(int attempts, JobStatus from) {
    pendingSince = tick();
    events.add(new JobEvent.MadePending(jobId, from, attempts, spec == null ? null : JobState.Pending.deadline(spec), now));
    return this;
  }

  public JobEvents leased(int attempt, String worker, String onNode) {
    node = onNode;
    startedAt = tick();
    events.add(new JobEvent.Leased(jobId, attempt, "lease-" + attempt + "-" + events.size(), worker, node, now.plusSeconds(60),
        pendingSince, now));
    return this;
  }

  public JobEvents heartbeat(int attempt) {
    events.add(new JobEvent.HeartbeatRecorded(jobId, attempt, "lease", "{\"done\":0.5}", tick().plusSeconds(60), now));
    return this;
  }

  public JobEvents leaseRenewed(int attempt, String worker) {
    events.add(new JobEvent.LeaseRenewed(jobId, attempt, "lease", worker, node, tick().plusSeconds(60), now));
    return this;
  }

  public JobEvents completed(int attempt, String worker) {
    events.add(new JobEvent.Completed(jobId, attempt, "lease", worker, node, "{\"ok\":true}", startedAt, tick()));
    return this;
  }

  public JobEvents failed(int attempt, String worker, FailureCause cause, JobStatus to) {
    return failed(attempt, worker, cause, cause + " on attempt " + attempt, to);
  }

  public JobEvents failed(int attempt, String worker, FailureCause cause, String error, JobStatus to) {
    Instant at = tick();
    Instant retryAt = to == JobStatus.RETRYING ? at.plusSeconds(30) : null;
    Instant deadline = retryAt == null ? null : JobState.Retrying.deadline(retryAt, spec);
    int charged = cause == FailureCause.WORKER_LOST ? attempt - 1 : attempt;
    events.add(new JobEvent.AttemptFailed(jobId, attempt, "lease", worker, node, cause, error, true, to, charged, retryAt, deadline, startedAt,
        at));
    return this;
  }

  public JobEvents handedBack(int attempt, String worker) {
    pendingSince = tick();
    events.add(new JobEvent.HandedBack(jobId, attempt, "lease", worker, node, JobState.Pending.deadline(spec), now));
    return this;
  }

  public JobEvents cancelled(int attempts, JobStatus from) {
    events.add(new JobEvent.Cancelled(jobId, from, attempts, "not needed", tick()));
    return this;
  }

  public JobEvents expired(int attempts, JobStatus from) {
    events.add(new JobEvent.Expired(jobId, from, attempts, tick()));
    return this;
  }

  public JobEvents redriven(int attempts, int maxAttempts) {
    pendingSince = tick();
    events.add(new JobEvent.Redriven(jobId, attempts, maxAttempts, JobState.Pending.deadline(spec), now));
    return this;
  }

  public JobEvents deleted(int attempts, JobStatus from) {
    events.add(new JobEvent.Deleted(jobId, from, attempts, tick()));
    return this;
  }

  /** Every event type and status: scheduled, renewed after a restart, retried, dead-lettered, redriven, handed back, lost, completed. */
  public static JobEvents longLife(String jobId, String tenant) {
    JobEvents job = new JobEvents(jobId);
    JobRequest request = JobRequest.of("transcode").withQueue("media").withPriority(7).withMaxAttempts(2)
        .withRunAt(T0.plusSeconds(5)).withExpiresAt(T0.plusSeconds(3600)).withBackoff(BackoffPolicy.exponential(30, 2, 60))
        .withPayload("{\"file\":\"ä.mp4\"}").withTags(List.of("team:video", "prio"));
    return job.submitted(tenant, request)
        .madePending(0, JobStatus.SCHEDULED)
        .leased(1, "worker-a", "node-1")
        .heartbeat(1)
        .leaseRenewed(1, "worker-a")
        .failed(1, "worker-a", FailureCause.HANDLER_ERROR, JobStatus.RETRYING)
        .madePending(1, JobStatus.RETRYING)
        .leased(2, "worker-b", "node-2")
        .failed(2, "worker-b", FailureCause.LEASE_EXPIRED, JobStatus.FAILED)
        .redriven(2, 4)
        .leased(3, "worker-c", "node-3")
        .handedBack(3, "worker-c")
        .leased(3, "worker-d", "node-1")
        .failed(3, "worker-d", FailureCause.WORKER_LOST, JobStatus.RETRYING)
        .madePending(2, JobStatus.RETRYING)
        .leased(3, "worker-e", "node-2")
        .completed(3, "worker-e");
  }
}
