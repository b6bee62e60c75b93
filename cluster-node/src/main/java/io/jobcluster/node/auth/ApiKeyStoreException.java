package io.jobcluster.node.auth;

/** The key store failed in the database (the gateway answers 503, not 401). */
public final class ApiKeyStoreException extends RuntimeException {
  public ApiKeyStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
