package io.jobcluster.protocol.client;

import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.ApiError;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The API answered with an error status (not 2xx). Carries what the answer said: status, error
 * code, message, the details of the code, and {@code Retry-After} when the server asked to wait.
 */
public final class JobclusterApiException extends RuntimeException {
  private final int status;
  private final ApiError body;
  private final Duration retryAfter;

  /**
   * @param body the answer's error; an answer without one gets the code {@code http_<status>}
   * @param retryAfter null when the answer had no (readable) {@code Retry-After}
   */
  public JobclusterApiException(int status, ApiError body, Duration retryAfter) {
    super(describe(status, body));
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }

  private static String describe(int status, ApiError body) {
    String text = status + " " + body.error() + (body.message() == null ? "" : ": " + body.message());
    if (body.field() != null) {
      text += " (field " + body.field() + ")";
    }
    if (body.from() != null || body.to() != null) {
      text += " (from " + body.from() + " to " + body.to() + ")";
    }
    return text;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The API's error code, such as {@code invalid_transition} (see {@link ErrorCode}). */
  public String error() {
    return body.error();
  }

  /** The error code as a known {@link ErrorCode}, if it is one. */
  public Optional<ErrorCode> errorCode() {
    return Arrays.stream(ErrorCode.values()).filter(code -> code.code().equals(body.error())).findFirst();
  }

  /** The server's message alone (the exception's message adds status, code and details). */
  public String apiMessage() {
    return body.message();
  }

  /** The request field at fault, for {@code invalid_request}. */
  public Optional<String> field() {
    return Optional.ofNullable(body.field());
  }

  /** The status the job was in, for {@code invalid_transition}. */
  public Optional<JobStatus> from() {
    return Optional.ofNullable(body.from());
  }

  /** The status that was refused, for {@code invalid_transition}. */
  public Optional<JobStatus> to() {
    return Optional.ofNullable(body.to());
  }

  /** How long the server asked to wait before trying again (with 429 and 503). */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The whole error answer. */
  public ApiError apiError() {
    return body;
  }
}
