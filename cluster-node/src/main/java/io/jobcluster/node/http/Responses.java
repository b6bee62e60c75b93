package io.jobcluster.node.http;

import io.jobcluster.node.limits.Admission;
import io.jobcluster.node.limits.PayloadTooLargeException;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobView;
import io.jobcluster.node.worker.handler.PayloadRedaction;
import io.jobcluster.protocol.wire.JobJson;
import io.jobcluster.protocol.wire.ApiError;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.pattern.AskTimeoutException;

/** Building JSON answers, and turning every kind of failure into the API's error shape. */
final class Responses {
  private Responses() {}

  static HttpResponse json(StatusCode status, Object body) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, JsonCodec.write(body)));
  }

  /**
   * A job as every API answer shows it: the one place views are written, so the payload is redacted
   * for all of them ({@link PayloadRedaction}).
   */
  static JobJson job(JobView view) {
    return JobJson.of(view.withPayload(PayloadRedaction.forView(view.type(), view.payload())));
  }

  static HttpResponse error(ErrorCode code, String message) {
    return json(StatusCodes.get(code.httpStatus()), ApiError.of(code.code(), message));
  }

  static HttpResponse rejected(JobReply.Rejected rejected) {
    return json(StatusCodes.get(rejected.error().httpStatus()), ApiError.rejected(rejected));
  }

  /** {@code 503 unavailable}; the gateway adds its Retry-After to every 503 (see {@link GatewayRoutes}). */
  static HttpResponse unavailable(String message) {
    return error(ErrorCode.UNAVAILABLE, message);
  }

  /** A submission the tenant's limits refused: 429 {@code rate_limited} (with Retry-After when waiting helps) or {@code quota_exceeded}. */
  static HttpResponse refused(Admission admission) {
    if (admission instanceof Admission.RateLimited limited) {
      HttpResponse response = error(ErrorCode.RATE_LIMITED, limited.message());
      return limited.retryAfter() == null ? response
          : response.addHeader(RawHeader.create("Retry-After", Long.toString(Math.max(1, (limited.retryAfter().toMillis() + 999) / 1000))));
    }
    if (admission instanceof Admission.QuotaExceeded exceeded) {
      return error(ErrorCode.QUOTA_EXCEEDED, exceeded.message());
    }
    throw new IllegalArgumentException("not a refusal: " + admission);
  }

  /** A failed stage: bad input (400) and too large a payload (413) are the client's, anything else means the cluster could not answer in time. */
  static HttpResponse failure(Throwable failure) {
    ApiError error = failureError(failure);
    return json(StatusCodes.get(failureStatus(failure)), error);
  }

  static int failureStatus(Throwable failure) {
    Throwable cause = unwrap(failure);
    return cause instanceof InvalidRequestException ? 400
        : cause instanceof PayloadTooLargeException ? ErrorCode.PAYLOAD_TOO_LARGE.httpStatus() : ErrorCode.UNAVAILABLE.httpStatus();
  }

  static ApiError failureError(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof InvalidRequestException invalid) {
      return ApiError.invalid(invalid);
    }
    if (cause instanceof PayloadTooLargeException tooLarge) {
      return new ApiError(ErrorCode.PAYLOAD_TOO_LARGE.code(), tooLarge.getMessage(), "payload", null, null);
    }
    if (cause instanceof AskTimeoutException || cause instanceof TimeoutException) {
      return ApiError.of(ErrorCode.UNAVAILABLE.code(), "the job store did not answer in time; try again");
    }
    return ApiError.of(ErrorCode.UNAVAILABLE.code(), "the request could not be served right now; try again");
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
