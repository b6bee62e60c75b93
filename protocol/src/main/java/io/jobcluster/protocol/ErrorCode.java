package io.jobcluster.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** Error codes of the public API, with the HTTP status each one answers with. */
public enum ErrorCode {
  INVALID_REQUEST("invalid_request", 400),
  UNAUTHORIZED("unauthorized", 401),
  FORBIDDEN("forbidden", 403),
  JOB_TYPE_DISABLED("job_type_disabled", 403),
  NOT_FOUND("not_found", 404),
  INVALID_TRANSITION("invalid_transition", 409),
  STALE_LEASE("stale_lease", 409),
  IDEMPOTENCY_CONFLICT("idempotency_conflict", 409),
  PAYLOAD_TOO_LARGE("payload_too_large", 413),
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
  QUOTA_EXCEEDED("quota_exceeded", 429),
  RATE_LIMITED("rate_limited", 429),
  UNAVAILABLE("unavailable", 503);

  private final String code;
  private final int httpStatus;

  ErrorCode(String code, int httpStatus) {
    this.code = code;
    this.httpStatus = httpStatus;
  }

  @JsonValue
  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
