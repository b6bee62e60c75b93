package io.jobcluster.node.worker.handler;

/**
 * A payload the handler cannot run. Retrying cannot fix it, so it always becomes a non-retryable
 * failure; the message names the offending field but never echoes its value (it may be a secret).
 */
public final class InvalidPayloadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidPayloadException(String message) {
    super(message);
  }

  public HandlerResult toFailure() {
    return HandlerResult.failure(getMessage(), false);
  }
}
