package io.jobcluster.node.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jobcluster.protocol.JobStatus;

/** Every error answer: {@code {"error": code, "message": text, ...details}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ApiError(String error, String message, String field, JobStatus from, JobStatus to) {

  static ApiError of(String error, String message) {
    return new ApiError(error, message, null, null, null);
  }
}
