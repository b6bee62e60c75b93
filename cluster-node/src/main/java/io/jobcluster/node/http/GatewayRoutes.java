package io.jobcluster.node.http;

import static io.jobcluster.node.auth.Scope.ADMIN;
import static io.jobcluster.node.auth.Scope.READ;
import static io.jobcluster.node.auth.Scope.SUBMIT;
import static io.jobcluster.node.auth.Scope.WORK;
import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequestEntity;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.mapResponse;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMap;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeout;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeoutResponse;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;

import io.jobcluster.node.auth.AuthResult;
import io.jobcluster.node.auth.Authenticator;
import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.health.HealthRoutes;
import io.jobcluster.node.limits.Admission;
import io.jobcluster.node.limits.RequestLimits;
import io.jobcluster.node.limits.PayloadTooLargeException;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.wire.ApiError;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * The node's HTTP API as one list of {@link Endpoint}s: health, the OpenAPI document, and API v1
 * behind API-key authentication (metrics are on the management port, {@link ManagementRoutes}). Whatever goes wrong (unknown path, wrong
 * method, wrong content type, oversized or malformed body, a failure inside) is answered in the
 * API's JSON error shape; every request is counted, timed and logged by the {@link RequestObserver}.
 */
public final class GatewayRoutes {
  /** The parts of the gateway: the API handlers and what the routes need around them. */
  public record Parts(HealthRoutes health, JobsApi jobs, AdminKeysApi keys, OpsApi ops, WorkApi work,
      Authenticator authenticator, Supplier<CompletionStage<Boolean>> databaseUp, RequestObserver observer, RequestLimits limits,
      SchedulesApi schedules, EventsApi events, WebhooksApi webhooks) {}

  private static final Duration LONG_POLL_TIMEOUT = Duration.ofSeconds(WorkApi.MAX_WAIT_SECONDS + 15);

  private final Parts parts;
  private final long maxBodyBytes;
  private final long maxBatchBytes;
  private final RawHeader retryAfter;
  private final List<Endpoint> endpoints;

  /**
   * @param maxBodyBytes the largest body of a request ({@code 413} above it)
   * @param maxBatchBytes the largest body of {@code POST /v1/jobs/batch}
   * @param retryAfter how long a client should wait after a {@code 503}; every 503 says it in {@code Retry-After}
   */
  public GatewayRoutes(Parts parts, long maxBodyBytes, long maxBatchBytes, Duration retryAfter) {
    this.parts = parts;
    this.maxBodyBytes = maxBodyBytes;
    this.maxBatchBytes = maxBatchBytes;
    this.retryAfter = RawHeader.create("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
    this.endpoints = List.copyOf(endpoints());
  }

  /** Every endpoint the node serves, in matching order. */
  public List<Endpoint> endpointList() {
    return endpoints;
  }

  public Route routes() {
    Route[] routes = endpoints.stream().map(endpoint -> endpoint.route(parameters -> admit(endpoint, parameters))).toArray(Route[]::new);
    return mapResponse(this::withRetryAfter, () -> parts.observer().observe(() -> withRequestTimeoutResponse(this::timedOut,
        () -> handleExceptions(exceptions(), () -> handleRejections(rejections(),
            () -> concat(routes[0], Arrays.copyOfRange(routes, 1, routes.length)))))));
  }

  /** A 503 tells the client when to try again (a 429 sets its own, from the tenant's rate). */
  private HttpResponse withRetryAfter(HttpResponse response) {
    return response.status().intValue() == 503 && response.getHeader("Retry-After").isEmpty() ? response.addHeader(retryAfter) : response;
  }

  private List<Endpoint> endpoints() {
    JobsApi jobs = parts.jobs();
    WorkApi work = parts.work();
    OpsApi ops = parts.ops();
    AdminKeysApi keys = parts.keys();
    SchedulesApi schedules = parts.schedules();
    return List.of(
        Endpoint.publicGet("/health/live", parts.health()::live),
        Endpoint.publicGet("/health/ready", parts.health()::ready),
        Endpoint.publicGet("/v1/openapi.json", OpenApiDocument::route),
        Endpoint.post("/v1/jobs", SUBMIT, call -> jsonBody(maxBodyBytes, body -> optionalHeaderValueByName("Idempotency-Key",
            key -> answer(() -> jobs.submit(call.principal(), body, key))))).writing(),
        Endpoint.get("/v1/jobs", READ, withQuery(jobs::list)),
        Endpoint.post("/v1/jobs/batch", SUBMIT, withBody(maxBatchBytes, jobs::submitBatch)).writing(),
        Endpoint.get("/v1/jobs/{id}", READ, on("id", jobs::get)),
        Endpoint.delete("/v1/jobs/{id}", SUBMIT, on("id", jobs::delete)).writing(),
        Endpoint.post("/v1/jobs/{id}/cancel", SUBMIT, on("id", jobs::cancel)).writing(),
        Endpoint.post("/v1/jobs/{id}/retry", SUBMIT, on("id", jobs::retry)).writing(),
        Endpoint.get("/v1/jobs/{id}/history", READ, on("id", jobs::history)),
        // Event streams: Server-Sent Events, resumed from Last-Event-ID.
        Endpoint.get("/v1/jobs/{id}/events", READ, call -> optionalHeaderValueByName("Last-Event-ID",
            last -> answer(() -> parts.events().job(call.principal(), call.parameter("id"), last)))),
        Endpoint.get("/v1/events", READ, call -> parameterMap(query -> optionalHeaderValueByName("Last-Event-ID",
            last -> answer(() -> parts.events().tenant(call.principal(), query, last))))),
        // Webhooks: a tenant's secret and default URL, a job's delivery log.
        Endpoint.get("/v1/jobs/{id}/webhook-deliveries", READ, on("id", parts.webhooks()::deliveries)),
        Endpoint.post("/v1/admin/tenants/{tenant}/webhook-secret", ADMIN, on("tenant", parts.webhooks()::drawSecret)).writing(),
        Endpoint.get("/v1/admin/tenants/{tenant}/webhook", ADMIN, on("tenant", parts.webhooks()::settings)),
        Endpoint.post("/v1/admin/tenants/{tenant}/webhook", ADMIN, withBody("tenant", parts.webhooks()::setDefault)).writing(),
        Endpoint.post("/v1/jobs/{id}/heartbeat", WORK, withBody("id", work::heartbeat)).writing(),
        Endpoint.post("/v1/jobs/{id}/complete", WORK, withBody("id", work::complete)).writing(),
        Endpoint.post("/v1/jobs/{id}/fail", WORK, withBody("id", work::fail)).writing(),
        // A long poll waits up to WorkApi.MAX_WAIT_SECONDS, longer than pekko.http.server.request-timeout.
        Endpoint.post("/v1/queues/{queue}/lease", WORK, call -> withRequestTimeout(LONG_POLL_TIMEOUT, this::timedOut,
            () -> withBody("queue", work::lease).apply(call))).writing(),
        Endpoint.post("/v1/schedules", SUBMIT, withBody(maxBodyBytes, schedules::create)).writing(),
        Endpoint.get("/v1/schedules", READ, call -> answer(() -> schedules.list(call.principal()))),
        Endpoint.get("/v1/schedules/{id}", READ, on("id", schedules::get)),
        Endpoint.patch("/v1/schedules/{id}", SUBMIT, withBody("id", schedules::change)).writing(),
        Endpoint.delete("/v1/schedules/{id}", SUBMIT, on("id", schedules::delete)).writing(),
        Endpoint.post("/v1/schedules/{id}/pause", SUBMIT, on("id", schedules::pause)).writing(),
        Endpoint.post("/v1/schedules/{id}/resume", SUBMIT, on("id", schedules::resume)).writing(),
        Endpoint.get("/v1/stats", READ, withQuery(ops::stats)),
        Endpoint.get("/v1/queues", READ, call -> answer(() -> ops.queues(call.principal()))),
        Endpoint.get("/v1/queues/{queue}/dispatcher", ADMIN, on("queue", ops::dispatcher)),
        Endpoint.get("/v1/workers", READ, call -> answer(() -> ops.workers(call.principal()))),
        Endpoint.post("/v1/admin/keys", ADMIN, withBody(maxBodyBytes, keys::issue)),
        Endpoint.get("/v1/admin/keys", ADMIN, withQuery(keys::list)),
        Endpoint.delete("/v1/admin/keys/{keyId}", ADMIN, on("keyId", keys::revoke)));
  }

  /**
   * What stands before an endpoint serves, in this order: a write answers 503 at once while the
   * database is down; a scoped endpoint needs a valid key (401; 429 while the client's address made
   * too many calls without one), then the key's tenant must be within its call rate (429); only then
   * does the request take one of the node's API slots (503 when none is free), so calls without a
   * valid key never hold one; last, the key must hold the endpoint's scope (403).
   */
  private Route admit(Endpoint endpoint, Map<String, String> parameters) {
    if (endpoint.scope().isEmpty()) {
      Supplier<Route> served = () -> endpoint.serve().apply(new Endpoint.Call(parameters, null));
      return endpoint.path().startsWith("/v1/") ? inSlot(served) : served.get();
    }
    Scope scope = endpoint.scope().get();
    Function<Principal, Route> authorized = principal -> principal.require(scope)
        ? endpoint.serve().apply(new Endpoint.Call(parameters, principal))
        : complete(Responses.error(ErrorCode.FORBIDDEN, "this key lacks the '" + scope.wireName() + "' scope"));
    Supplier<Route> admitted = () -> authenticated(principal -> withinCallRate(principal, () -> inSlot(() -> authorized.apply(principal))));
    return endpoint.writes() ? writing(admitted) : admitted.get();
  }

  /** {@code inner} in one of the node's API slots; failures and rejections are answered inside, so the slot always returns. */
  private Route inSlot(Supplier<Route> inner) {
    return parts.observer().inFlight(() -> handleExceptions(exceptions(), () -> handleRejections(rejections(), inner)));
  }

  /** A tenant over its call rate gets 429 {@code rate_limited} with Retry-After. */
  private Route withinCallRate(Principal principal, Supplier<Route> inner) {
    Admission admission = parts.limits().admitCall(principal.tenant());
    return admission instanceof Admission.Admitted ? inner.get() : complete(Responses.refused(admission));
  }

  /**
   * Answers with what {@code call} completes with: bad input it throws or fails with is 400, a
   * payload over the limit 413, any other failure an error answer.
   */
  private static Route answer(Supplier<CompletionStage<HttpResponse>> call) {
    try {
      return completeWithFuture(call.get().exceptionally(Responses::failure));
    } catch (InvalidRequestException | PayloadTooLargeException e) {
      return complete(Responses.failure(e));
    }
  }

  /** A call about one path parameter (a job id, a key id). */
  private static Function<Endpoint.Call, Route> on(String parameter, BiFunction<Principal, String, CompletionStage<HttpResponse>> serve) {
    return call -> answer(() -> serve.apply(call.principal(), call.parameter(parameter)));
  }

  /** A call with the query's parameters. */
  private static Function<Endpoint.Call, Route> withQuery(BiFunction<Principal, Map<String, String>, CompletionStage<HttpResponse>> serve) {
    return call -> parameterMap(query -> answer(() -> serve.apply(call.principal(), query)));
  }

  /** A call with a JSON body of at most {@code limit} bytes. */
  private Function<Endpoint.Call, Route> withBody(long limit, BiFunction<Principal, String, CompletionStage<HttpResponse>> serve) {
    return call -> jsonBody(limit, body -> answer(() -> serve.apply(call.principal(), body)));
  }

  /** A call about one path parameter, with a JSON body. */
  private Function<Endpoint.Call, Route> withBody(String parameter, TriFunction serve) {
    return call -> jsonBody(maxBodyBytes, body -> answer(() -> serve.apply(call.principal(), call.parameter(parameter), body)));
  }

  @FunctionalInterface
  private interface TriFunction {
    CompletionStage<HttpResponse> apply(Principal principal, String parameter, String body);
  }

  /** What a request gets when the server's request timeout passes before the route answered. */
  private HttpResponse timedOut(HttpRequest request) {
    return withRetryAfter(Responses.unavailable("the request took too long to answer; try again"));
  }

  /**
   * Resolves the request's API key (Authorization: Bearer, or X-API-Key) to a principal, else 401.
   * A call without a valid key costs a token of its client address's bucket; while that is empty,
   * such calls answer 429 before their key is looked up (a key this node holds as valid still passes).
   */
  private Route authenticated(Function<Principal, Route> inner) {
    return extractRequest(request -> optionalHeaderValueByName("Authorization", authorization -> optionalHeaderValueByName("X-API-Key",
        apiKey -> {
          String address = clientAddress(request);
          String authorizationValue = authorization.orElse(null);
          String apiKeyValue = apiKey.orElse(null);
          Optional<Duration> wait = parts.limits().unauthenticatedWait(address);
          if (wait.isPresent() && !parts.authenticator().isCached(authorizationValue, apiKeyValue)) {
            return complete(Responses.refused(new Admission.RateLimited(wait.get(),
                "too many requests without a valid API key from this address; try again later")));
          }
          return onComplete(parts.authenticator().authenticate(authorizationValue, apiKeyValue), result -> {
            if (result.isFailure()) {
              return complete(Responses.unavailable("keys cannot be checked right now; try again"));
            }
            AuthResult auth = result.get();
            if (auth instanceof AuthResult.Authenticated authenticated) {
              Principal principal = authenticated.principal();
              return mapResponse(response -> response.addAttribute(RequestObserver.PRINCIPAL, principal), () -> inner.apply(principal));
            }
            parts.limits().unauthenticated(address);
            AuthResult.Denied denied = (AuthResult.Denied) auth;
            return complete(Responses.error(denied.code(), denied.message()));
          });
        })));
  }

  /**
   * The TCP peer's address (pekko.http.server.remote-address-attribute), never a forwarded header:
   * any client can write X-Forwarded-For, so keying a limit on it would give each request a fresh
   * bucket. An IPv6 client counts by its /64, which one client usually holds whole.
   */
  static String clientAddress(HttpRequest request) {
    return request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress).map(GatewayRoutes::addressKey)
        .orElse("unknown");
  }

  private static String addressKey(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] prefix = Arrays.copyOf(address.getAddress(), 8);
      return HexFormat.of().formatHex(prefix) + "::/64";
    }
    return address.getHostAddress();
  }

  /** Writes need the database: while the probe says it is down, answer 503 at once instead of waiting. */
  private Route writing(Supplier<Route> inner) {
    return onComplete(parts.databaseUp().get(), up -> up.isSuccess() && Boolean.TRUE.equals(up.get())
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
            ApiError.of("method_not_allowed", "this path does not take that method"))
            .addHeader(Allow.create(rejections.stream().map(MethodRejection::supported).distinct().toArray(HttpMethod[]::new)))))
        .handleNotFound(complete(Responses.error(ErrorCode.NOT_FOUND, "no such path")))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(response -> response.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON) ? response
            : Responses.json(response.status(), ApiError.of("invalid_request", "the request was refused: " + response.status().reason())));
  }
}
