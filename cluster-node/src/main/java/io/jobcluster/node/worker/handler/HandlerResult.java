package io.jobcluster.node.worker.handler;

import java.time.Instant;

/** How one attempt ended, as the handler saw it. */
public sealed interface HandlerResult {

  /** The attempt completed; {@code resultJson} is JSON text stored as the job's result, or null. */
  record Success(String resultJson) implements HandlerResult {}

  /**
   * The attempt failed with {@code error} (stored as the job's last error). A non-retryable failure
   * fails the job at once, whatever attempts are left.
   *
   * @param notBefore for a retryable failure, the earliest the next attempt may start (a server's
   *     {@code Retry-After}, an open circuit breaker's reset), later than the job's backoff only; null
   *     for the backoff alone
   */
  record Failure(String error, boolean retryable, Instant notBefore) implements HandlerResult {
    public Failure(String error, boolean retryable) {
      this(error, retryable, null);
    }
  }

  static HandlerResult success(String resultJson) {
    return new Success(resultJson);
  }

  static HandlerResult failure(String error, boolean retryable) {
    return new Failure(error, retryable);
  }

  /** A retryable failure whose next attempt starts no sooner than {@code notBefore}. */
  static HandlerResult retryNotBefore(String error, Instant notBefore) {
    return new Failure(error, true, notBefore);
  }
}
