package io.jobcluster.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.client.JobclusterApiException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * The exit codes scripts can rely on, in one place (docs/CLI.md lists them): stable, and only ever added to.
 */
public final class ExitCodes {
  public static final int OK = 0;
  /** An unexpected error, or the server failed (5xx other than 503). */
  public static final int ERROR = 1;
  /** Bad usage or bad input: an unknown option, a file that is not a job, a request the server refused as invalid (400, 413, 415). */
  public static final int USAGE = 2;
  /** The job or key does not exist (or belongs to another tenant): 404. */
  public static final int NOT_FOUND = 3;
  /** No API key was given, or the server refused it (401) or its scope (403). */
  public static final int AUTH = 4;
  /** The job's state does not allow it (409: a finished job cancelled, an unfinished one deleted, a reused idempotency key). */
  public static final int CONFLICT = 5;
  /** {@code --wait} or {@code watch}: the job ended, but not COMPLETED (FAILED, CANCELLED, EXPIRED). */
  public static final int JOB_NOT_COMPLETED = 6;
  /** The server could not be reached: connection refused, timeout, TLS handshake, unknown host. */
  public static final int UNREACHABLE = 7;
  /** The server asked to come back later: 429 (rate or quota) or 503 (overloaded, database down). */
  public static final int BUSY = 8;
  /** A batch in which some jobs were accepted and others refused (each item says why). */
  public static final int PARTIAL = 9;

  private ExitCodes() {}

  /** The exit code for an HTTP error status. */
  public static int forStatus(int status) {
    return switch (status) {
      case 400, 413, 415 -> USAGE;
      case 401, 403 -> AUTH;
      case 404 -> NOT_FOUND;
      case 409 -> CONFLICT;
      case 429, 503 -> BUSY;
      default -> ERROR;
    };
  }

  /** How {@code --wait} and {@code watch} end for a job that is no longer active. */
  public static int forOutcome(JobStatus status) {
    return status == JobStatus.COMPLETED ? OK : JOB_NOT_COMPLETED;
  }

  /** The exit code for what a command threw. */
  public static int forFailure(Throwable failure) {
    if (failure instanceof JobclusterApiException api) {
      return forStatus(api.status());
    }
    if (failure instanceof MissingKeyException) {
      return AUTH;
    }
    // InvalidRequestException (a job the protocol refuses before sending) is an IllegalArgumentException too.
    if (failure instanceof CommandLine.ParameterException || failure instanceof IllegalArgumentException) {
      return USAGE;
    }
    if (failure instanceof UncheckedIOException io) {
      // An answer that is not the API's JSON came from a server that was reached; anything else is the way there.
      return io.getCause() instanceof JsonProcessingException ? ERROR : UNREACHABLE;
    }
    return ERROR;
  }

  /** Commands need a key and none was configured. */
  static final class MissingKeyException extends RuntimeException {
    MissingKeyException(String message) {
      super(message);
    }
  }
}
