package io.jobcluster.node.schedule;

import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * The job store as a schedule entity sees it, in memory: a job per idempotency key (a repeat answers
 * the existing job), every submission recorded, and a switch to stop answering as a store would
 * during an outage.
 */
final class RecordingJobs implements ScheduleJobs {
  final List<JobRequest> submissions = new CopyOnWriteArrayList<>();
  final Map<String, JobStatus> jobs = new ConcurrentHashMap<>();
  volatile boolean answering = true;

  @Override
  public String jobIdFor(String tenant, String idempotencyKey) {
    return "job:" + tenant + ":" + idempotencyKey;
  }

  @Override
  public CompletionStage<JobReply> submit(String tenant, JobRequest request) {
    submissions.add(request);
    if (!answering) {
      return CompletableFuture.failedFuture(new TimeoutException("the job store did not answer"));
    }
    String id = jobIdFor(tenant, request.idempotencyKey());
    boolean created = jobs.putIfAbsent(id, JobStatus.PENDING) == null;
    return CompletableFuture.completedFuture(new JobReply.Accepted(view(id, jobs.get(id)), created));
  }

  @Override
  public CompletionStage<JobReply> get(String tenant, String jobId) {
    JobStatus status = jobs.get(jobId);
    return CompletableFuture.completedFuture(status == null ? JobReply.Rejected.of(ErrorCode.NOT_FOUND, "no job " + jobId)
        : JobReply.Accepted.of(view(jobId, status)));
  }

  /** The distinct jobs submitted, by idempotency key. */
  List<String> keys() {
    return submissions.stream().map(JobRequest::idempotencyKey).distinct().toList();
  }

  private static JobView view(String id, JobStatus status) {
    Instant now = Instant.EPOCH;
    return new JobView(id, "default", "noop", status, 5, null, 0, 3, now, now, now, null, null, null, null, null, null, null, List.of());
  }
}
