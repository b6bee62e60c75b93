package io.jobcluster.protocol.client;

import io.jobcluster.protocol.JobStatus;
import java.time.Instant;

/**
 * One entry of a job's history.
 *
 * @param seqNr the position in the job's history
 * @param from null for the submission
 * @param workerId and {@code node}: set for lease and attempt outcomes only
 */
public record JobTransition(
    String jobId, long seqNr, Instant at, JobStatus from, JobStatus to, int attempt, String workerId, String node, String detail) {}
