package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.JobStatus;
import java.time.Instant;

/**
 * An active job and its next deadline (runAt, end of backoff, lease end or expiry), as a deadline
 * sweep reads it: one to wake because its deadline comes soon or passed without its entity acting.
 */
public record DueJob(String jobId, JobStatus status, Instant deadlineAt) {}
