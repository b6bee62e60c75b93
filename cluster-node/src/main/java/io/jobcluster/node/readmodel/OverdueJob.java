package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.JobStatus;
import java.time.Instant;

/**
 * An active job whose next deadline (runAt, end of backoff, lease end or expiry) has passed: its
 * entity should have acted, so a sweep wakes it.
 */
public record OverdueJob(String jobId, JobStatus status, Instant deadlineAt) {}
