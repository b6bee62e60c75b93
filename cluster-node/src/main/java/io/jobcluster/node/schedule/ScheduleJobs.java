package io.jobcluster.node.schedule;

import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import java.util.concurrent.CompletionStage;

/** What a schedule needs of the job store: the node's {@link io.jobcluster.node.JobService}. */
public interface ScheduleJobs {
  /** The id a job submitted by {@code tenant} under {@code idempotencyKey} gets. */
  String jobIdFor(String tenant, String idempotencyKey);

  /** Validates and submits; a repeat under the same idempotency key answers the existing job. */
  CompletionStage<JobReply> submit(String tenant, JobRequest request);

  CompletionStage<JobReply> get(String tenant, String jobId);
}
