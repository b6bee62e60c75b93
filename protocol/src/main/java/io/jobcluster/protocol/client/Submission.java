package io.jobcluster.protocol.client;

import io.jobcluster.protocol.JobView;

/**
 * The answer to a submission.
 *
 * @param created true for a new job (201); false when an idempotency key named an existing one (200)
 */
public record Submission(JobView job, boolean created) {}
