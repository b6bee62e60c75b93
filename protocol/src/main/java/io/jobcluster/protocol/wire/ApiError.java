package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobStatus;

/**
 * Every error answer: {@code {"error": code, "message": text, ...details}}.
 *
 * @param field the request field at fault, for {@code invalid_request}; else null
 * @param from and {@code to}: the refused transition, for {@code invalid_transition}; else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, String field, JobStatus from, JobStatus to) {

  public static ApiError of(String error, String message) {
    return new ApiError(error, message, null, null, null);
  }

  /** {@code invalid_request} naming the field at fault. */
  public static ApiError invalid(InvalidRequestException e) {
    return new ApiError(ErrorCode.INVALID_REQUEST.code(), e.getMessage(), e.field(), null, null);
  }

  /** A command the job refused, with the refused transition when there is one. */
  public static ApiError rejected(JobReply.Rejected rejected) {
    return new ApiError(rejected.error().code(), rejected.message(), null, rejected.from(), rejected.to());
  }
}
