package io.jobcluster.node.limits;

/** A job's payload is larger than {@link PayloadLimit} allows: {@code 413 payload_too_large}, nothing submitted. */
public final class PayloadTooLargeException extends RuntimeException {
  private final long size;
  private final long limit;

  public PayloadTooLargeException(long size, long limit) {
    super("the payload is " + size + " bytes; a job's payload may hold at most " + limit + " bytes (jobcluster.limits.max-payload)", null, false, false);
    this.size = size;
    this.limit = limit;
  }

  public long size() {
    return size;
  }

  public long limit() {
    return limit;
  }
}
