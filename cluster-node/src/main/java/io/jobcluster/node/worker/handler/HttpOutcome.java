package io.jobcluster.node.worker.handler;

import io.jobcluster.node.json.NodeJson;
import java.time.Instant;

/**
 * What an HTTP answer means for the attempt: success on a 2xx (or on exactly the expected status)
 * with {@code {"status":N,"body":"..."}}; otherwise a failure that is retryable for server trouble
 * and throttling (5xx, 429, 408) and final for anything else the server said.
 */
final class HttpOutcome {

  private static final int ERROR_BODY_CHARS = 200;

  private HttpOutcome() {}

  /** The result of a call that got the answer it expected. */
  private record Answered(int status, String body) {}

  static HandlerResult of(int status, String body, Integer expectStatus) {
    return of(status, body, expectStatus, null);
  }

  /**
   * @param notBefore when the server said the next attempt may start (its Retry-After), or null;
   *     only a retryable failure keeps it
   */
  static HandlerResult of(int status, String body, Integer expectStatus, Instant notBefore) {
    boolean expected = expectStatus == null ? status >= 200 && status < 300 : status == expectStatus;
    if (expected) {
      return HandlerResult.success(NodeJson.write(new Answered(status, body)));
    }
    String wanted = expectStatus == null ? "" : " (expected " + expectStatus + ")";
    String error = "status " + status + wanted + errorBody(body);
    return retryable(status) && notBefore != null ? HandlerResult.retryNotBefore(error, notBefore) : HandlerResult.failure(error, retryable(status));
  }

  /** Answers that count against the host's circuit breaker: server trouble and throttling. */
  static boolean tripsBreaker(int status) {
    return status >= 500 || status == 429;
  }

  /** Answers whose Retry-After sets the next attempt (RFC 9110 gives it to 503 and, RFC 6585, to 429). */
  static boolean honoursRetryAfter(int status) {
    return status == 429 || status == 503;
  }

  static boolean retryable(int status) {
    return status >= 500 || status == 429 || status == 408;
  }

  /** A short excerpt, so the job's last error says what the server complained about. */
  private static String errorBody(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    return ": " + (body.length() <= ERROR_BODY_CHARS ? body : body.substring(0, ERROR_BODY_CHARS) + "…");
  }
}
