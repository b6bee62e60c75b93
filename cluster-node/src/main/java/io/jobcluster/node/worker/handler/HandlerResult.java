package io.jobcluster.node.worker.handler;

/** How one attempt ended, as the handler saw it. */
public sealed interface HandlerResult {

  /** The attempt completed; {@code resultJson} is JSON text stored as the job's result, or null. */
  record Success(String resultJson) implements HandlerResult {}

  /**
   * The attempt failed with {@code error} (stored as the job's last error). A non-retryable failure
   * fails the job at once, whatever attempts are left.
   */
  record Failure(String error, boolean retryable) implements HandlerResult {}

  static HandlerResult success(String resultJson) {
    return new Success(resultJson);
  }

  static HandlerResult failure(String error, boolean retryable) {
    return new Failure(error, retryable);
  }
}
