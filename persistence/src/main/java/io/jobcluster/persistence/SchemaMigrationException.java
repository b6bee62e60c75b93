package io.jobcluster.persistence;

/** The schema could not be brought up to date; the node must not start on it. */
public final class SchemaMigrationException extends RuntimeException {
  public SchemaMigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
