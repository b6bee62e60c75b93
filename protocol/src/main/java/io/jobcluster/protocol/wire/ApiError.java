package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
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
}
