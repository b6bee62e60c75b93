package io.jobcluster.protocol.client;

import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.wire.ApiError;

/**
 * One job's outcome in a batch submission, in the order submitted.
 *
 * @param status the HTTP status the job would have had if submitted alone (201, 200, 400, 409, ...)
 * @param job the job when it was accepted; else null
 * @param error why it was refused; else null
 */
public record BatchItem(int index, int status, JobView job, ApiError error) {

  /** Whether the job was accepted (created, or an idempotent repeat of an existing one). */
  public boolean accepted() {
    return job != null;
  }

  /** Whether a new job was created. */
  public boolean created() {
    return status == 201;
  }
}
