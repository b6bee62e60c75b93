package io.jobcluster.node.readmodel;

/** A read-model query or write failed in the database. */
public final class ReadModelException extends RuntimeException {
  public ReadModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
