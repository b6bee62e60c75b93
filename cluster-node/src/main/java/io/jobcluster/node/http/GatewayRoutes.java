package io.jobcluster.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequestEntity;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMap;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.jobcluster.node.auth.AuthResult;
import io.jobcluster.node.auth.Authenticator;
import io.jobcluster.node.auth.Principal;
import io.jobcluster.protocol.ErrorCode;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * All HTTP routes of a node: health, and API v1 behind API-key authentication. Whatever goes
 * wrong (unknown path, wrong method, wrong content type, oversized or malformed body, a failure
 * inside) is answered in the API's JSON error shape.
 */
public final class GatewayRoutes {
  private final Route health;
  private final JobsApi jobs;
  private final AdminKeysApi keys;
  private final OpsApi ops;
  private final WorkApi work;
  private final Authenticator authenticator;
  private final Supplier<CompletionStage<Boolean>> databaseUp;
  private final long maxBodyBytes;
  private final long maxBatchBytes;

  /**
   * @param databaseUp a cheap (cached) probe; requests that would write answer 503 at once while it says no
   */
  public GatewayRoutes(Route health, JobsApi jobs, AdminKeysApi keys, OpsApi ops, WorkApi work, Authenticator authenticator,
      Supplier<CompletionStage<Boolean>> databaseUp, long maxBodyBytes, long maxBatchBytes) {
    this.health = health;
    this.jobs = jobs;
    this.keys = keys;
    this.ops = ops;
    this.work = work;
    this.authenticator = authenticator;
    this.databaseUp = databaseUp;
    this.maxBodyBytes = maxBodyBytes;
    this.maxBatchBytes = maxBatchBytes;
  }

  public Route routes() {
    return handleExceptions(exceptions(), () -> handleRejections(rejections(), () -> concat(health, v1())));
  }

  private Route v1() {
    return pathPrefix("v1", () -> concat(jobRoutes(), adminRoutes(),
        path("stats", () -> get(() -> authenticated(principal -> completeWithFuture(ops.stats(principal))))),
        path("queues", () -> get(() -> authenticated(principal -> completeWithFuture(ops.queues(principal))))),
        pathPrefix("queues", () -> pathPrefix(segment(), queue -> path("lease", () -> post(() -> writing(() -> authenticated(principal ->
            jsonBody(maxBodyBytes, body -> completeWithFuture(work.lease(principal, queue, body))))))))),
        path("workers", () -> get(() -> authenticated(principal -> completeWithFuture(ops.workers(principal)))))));
  }

  private Route adminRoutes() {
    return pathPrefix("admin", () -> pathPrefix("keys", () -> concat(
        pathEnd(() -> concat(
            post(() -> authenticated(principal -> jsonBody(maxBodyBytes, body -> completeWithFuture(keys.issue(principal, body))))),
            get(() -> authenticated(principal -> parameterMap(parameters -> completeWithFuture(keys.list(principal, parameters))))))),
        path(segment(), keyId -> delete(() -> authenticated(principal -> completeWithFuture(keys.revoke(principal, keyId))))))));
  }

  private Route jobRoutes() {
    return pathPrefix("jobs", () -> concat(
        path("batch", () -> post(() -> writing(() -> authenticated(principal -> jsonBody(maxBatchBytes,
            body -> completeWithFuture(jobs.submitBatch(principal, body))))))),
        pathEnd(() -> concat(
            post(() -> writing(() -> authenticated(principal -> jsonBody(maxBodyBytes, body -> optionalHeaderValueByName("Idempotency-Key",
                key -> completeWithFuture(jobs.submit(principal, body, key))))))),
            get(() -> authenticated(principal -> parameterMap(parameters -> completeWithFuture(jobs.list(principal, parameters))))))),
        pathPrefix(segment(), id -> concat(
            pathEnd(() -> concat(
                get(() -> authenticated(principal -> completeWithFuture(jobs.get(principal, id)))),
                delete(() -> writing(() -> authenticated(principal -> completeWithFuture(jobs.delete(principal, id))))))),
            path("cancel", () -> post(() -> writing(() -> authenticated(principal -> completeWithFuture(jobs.cancel(principal, id)))))),
            path("retry", () -> post(() -> writing(() -> authenticated(principal -> completeWithFuture(jobs.retry(principal, id)))))),
            path("history", () -> get(() -> authenticated(principal -> completeWithFuture(jobs.history(principal, id))))),
            path("heartbeat", () -> post(() -> writing(() -> authenticated(principal -> jsonBody(maxBodyBytes,
                body -> completeWithFuture(work.heartbeat(principal, id, body))))))),
            path("complete", () -> post(() -> writing(() -> authenticated(principal -> jsonBody(maxBodyBytes,
                body -> completeWithFuture(work.complete(principal, id, body))))))),
            path("fail", () -> post(() -> writing(() -> authenticated(principal -> jsonBody(maxBodyBytes,
                body -> completeWithFuture(work.fail(principal, id, body)))))))))));
  }

  /** Resolves the request's API key (Authorization: Bearer, or X-API-Key) to a principal, else 401. */
  private Route authenticated(Function<Principal, Route> inner) {
    return optionalHeaderValueByName("Authorization", authorization -> optionalHeaderValueByName("X-API-Key", apiKey ->
        onComplete(authenticator.authenticate(authorization.orElse(null), apiKey.orElse(null)), result -> {
          if (result.isFailure()) {
            return complete(Responses.unavailable("keys cannot be checked right now; try again"));
          }
          AuthResult auth = result.get();
          if (auth instanceof AuthResult.Authenticated authenticated) {
            return inner.apply(authenticated.principal());
          }
          AuthResult.Denied denied = (AuthResult.Denied) auth;
          return complete(Responses.error(denied.code(), denied.message()));
        })));
  }

  /** Writes need the database: while the probe says it is down, answer 503 at once instead of waiting. */
  private Route writing(Supplier<Route> inner) {
    return onComplete(databaseUp.get(), up -> up.isSuccess() && Boolean.TRUE.equals(up.get())
        ? inner.get()
        : complete(Responses.unavailable("the database is unreachable; try again")));
  }

  /** The request body as text: only {@code application/json} in valid UTF-8, at most {@code limit} bytes. */
  private Route jsonBody(long limit, Function<String, Route> inner) {
    return extractRequestEntity(requestEntity -> {
      if (!requestEntity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
        return complete(Responses.error(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json"));
      }
      return withSizeLimit(limit, () -> entity(Unmarshaller.entityToByteArray(), bytes -> JsonCodec.utf8(bytes).map(inner)
          .orElseGet(() -> complete(Responses.error(ErrorCode.INVALID_REQUEST, "the body is not valid UTF-8")))));
    });
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .match(EntityStreamSizeException.class, e -> complete(Responses.error(ErrorCode.PAYLOAD_TOO_LARGE,
            "the body is larger than this endpoint accepts")))
        .matchAny(e -> complete(Responses.unavailable("the request could not be served right now; try again")))
        .build();
  }

  private RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class, rejection -> rejection.getCause() instanceof EntityStreamSizeException
            ? complete(Responses.error(ErrorCode.PAYLOAD_TOO_LARGE, "the body is larger than this endpoint accepts"))
            : complete(Responses.error(ErrorCode.INVALID_REQUEST, "the body could not be read")))
        .handleAll(MethodRejection.class, rejections -> complete(Responses.json(StatusCodes.METHOD_NOT_ALLOWED,
            ApiError.of("method_not_allowed", "this path does not take that method"))))
        .handleNotFound(complete(Responses.error(ErrorCode.NOT_FOUND, "no such path")))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(response -> response.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON) ? response
            : Responses.json(response.status(), ApiError.of("invalid_request", "the request was refused: " + response.status().reason())));
  }
}
