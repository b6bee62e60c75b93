package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code POST /v1/jobs/{id}/fail}; {@code retryable} null counts as true.
 * {@code retryAfterSeconds} (0 to 86400, optional): the retry starts no sooner than this long from
 * now, or after the job's backoff if that is later (e.g. the worker's downstream said Retry-After).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FailRequest(String leaseId, String error, Boolean retryable, Long retryAfterSeconds) {

  public static final long MAX_RETRY_AFTER_SECONDS = 86_400;

  public FailRequest(String leaseId, String error, Boolean retryable) {
    this(leaseId, error, retryable, null);
  }
}
