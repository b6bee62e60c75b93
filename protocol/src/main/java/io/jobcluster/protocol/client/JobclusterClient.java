package io.jobcluster.protocol.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.Webhook;
import io.jobcluster.protocol.wire.ApiError;
import io.jobcluster.protocol.wire.BatchItemJson;
import io.jobcluster.protocol.wire.BatchRequest;
import io.jobcluster.protocol.wire.CompleteRequest;
import io.jobcluster.protocol.wire.DispatcherInfo;
import io.jobcluster.protocol.wire.FailRequest;
import io.jobcluster.protocol.wire.HeartbeatRequest;
import io.jobcluster.protocol.wire.IssueKeyRequest;
import io.jobcluster.protocol.wire.IssuedKey;
import io.jobcluster.protocol.wire.Items;
import io.jobcluster.protocol.wire.JobJson;
import io.jobcluster.protocol.wire.JobPage;
import io.jobcluster.protocol.wire.JobTransition;
import io.jobcluster.protocol.wire.KeyInfo;
import io.jobcluster.protocol.wire.LeaseRequest;
import io.jobcluster.protocol.wire.LeasedJobJson;
import io.jobcluster.protocol.wire.QueueInfo;
import io.jobcluster.protocol.wire.Readiness;
import io.jobcluster.protocol.wire.ScheduleJson;
import io.jobcluster.protocol.wire.ScheduleRequest;
import io.jobcluster.protocol.wire.Stats;
import io.jobcluster.protocol.wire.WebhookDelivery;
import io.jobcluster.protocol.wire.WebhookSecret;
import io.jobcluster.protocol.wire.WebhookSettings;
import io.jobcluster.protocol.wire.WorkerInfo;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * A Java client for the Jobcluster HTTP API v1 on {@code java.net.http}: every call blocks until its
 * answer, and submissions also come without blocking ({@code submitAsync}, {@code submitBatchAsync}),
 * for callers that must not wait on a slow answer. One instance is thread-safe and meant to be shared.
 *
 * <p>A non-2xx answer throws {@link JobclusterApiException}; a failure to reach the server (or a
 * request timeout, or an interrupt) throws {@link UncheckedIOException}. The API key goes into the
 * {@code Authorization} header only: never into messages, exceptions or {@code toString}.
 *
 * <pre>{@code
 * JobclusterClient client = JobclusterClient.builder().baseUri(URI.create("http://127.0.0.1:8080")).apiKey(key).build();
 * Submission submitted = client.submit(JobRequest.of("sleep").withPayload("{\"ms\":2000}"), "order-42");
 * JobView job = client.get(submitted.job().id());
 * }</pre>
 */
public final class JobclusterClient {
  /** How much longer than the long-poll window a lease request may take before it times out. */
  private static final Duration LEASE_MARGIN = Duration.ofSeconds(10);
  private static final String JSON = "application/json";

  private final HttpClient http;
  private final String base;
  private final String authorization;
  private final Duration requestTimeout;

  private JobclusterClient(Builder builder) {
    this.http = builder.httpClient != null ? builder.httpClient : defaultHttpClient(builder);
    String uri = builder.baseUri.toString();
    this.base = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    this.authorization = builder.apiKey == null ? null : "Bearer " + builder.apiKey;
    this.requestTimeout = builder.requestTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  private static HttpClient defaultHttpClient(Builder builder) {
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(builder.connectTimeout);
    return (builder.sslContext == null ? http : http.sslContext(builder.sslContext)).build();
  }

  // ---- jobs ----

  /** {@code POST /v1/jobs}. An {@code idempotencyKey} in the request dedups like the header does. */
  public Submission submit(JobRequest request) {
    return submit(request, null);
  }

  /**
   * {@code POST /v1/jobs} with an {@code Idempotency-Key} header: the same key again answers the
   * original job ({@link Submission#created()} false); the same key with a different request is
   * refused with {@code 409 idempotency_conflict}.
   *
   * @param idempotencyKey null for none
   */
  public Submission submit(JobRequest request, String idempotencyKey) {
    return submission(send(submitCall(request, idempotencyKey)));
  }

  /** {@code POST /v1/jobs/batch}: up to 1000 jobs, each accepted or refused on its own; one item per job, in order. */
  public List<BatchItem> submitBatch(List<JobRequest> requests) {
    return batchItems(send(batchCall(requests)));
  }

  /** {@link #submit(JobRequest)} without waiting for the answer. */
  public CompletableFuture<Submission> submitAsync(JobRequest request) {
    return submitAsync(request, null);
  }

  /**
   * {@link #submit(JobRequest, String)} without waiting for the answer: the request is sent at once
   * and the future completes when the answer comes. It fails (inside a {@link CompletionException})
   * with {@link JobclusterApiException} for an error answer and {@link UncheckedIOException} when
   * the server cannot be reached or the request times out, as the blocking call would throw.
   */
  public CompletableFuture<Submission> submitAsync(JobRequest request, String idempotencyKey) {
    return sendAsync(submitCall(request, idempotencyKey)).thenApply(JobclusterClient::submission);
  }

  /** {@link #submitBatch(List)} without waiting for the answer; fails as {@link #submitAsync(JobRequest, String)} does. */
  public CompletableFuture<List<BatchItem>> submitBatchAsync(List<JobRequest> requests) {
    return sendAsync(batchCall(requests)).thenApply(JobclusterClient::batchItems);
  }

  private static Call submitCall(JobRequest request, String idempotencyKey) {
    Objects.requireNonNull(request, "request");
    Call call = Call.post("/v1/jobs", WireJson.jobBody(request));
    return idempotencyKey == null ? call : call.header("Idempotency-Key", idempotencyKey);
  }

  private static Submission submission(HttpResponse<String> response) {
    return new Submission(read(response, JobJson.class).toView(), response.statusCode() == 201);
  }

  private static Call batchCall(List<JobRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    List<JsonNode> jobs = requests.stream()
        .map(request -> WireJson.MAPPER.<JsonNode>valueToTree(WireJson.jobBody(Objects.requireNonNull(request, "request"))))
        .toList();
    return Call.post("/v1/jobs/batch", new BatchRequest(jobs));
  }

  private static List<BatchItem> batchItems(HttpResponse<String> response) {
    return read(response, new TypeReference<Items<BatchItemJson>>() { })
        .items().stream().map(WireJson::batchItem).toList();
  }

  /** {@code GET /v1/jobs/{id}}. */
  public JobView get(String jobId) {
    return job(send(Call.get(jobPath(jobId, ""))));
  }

  /** {@code GET /v1/jobs?status=&queue=&type=&limit=&cursor=}: one page, newest first. */
  public JobPage list(ListQuery query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query.status() != null) {
      parameters.put("status", query.status().name());
    }
    parameters.put("queue", query.queue());
    parameters.put("type", query.type());
    parameters.put("limit", query.limit() == null ? null : query.limit().toString());
    parameters.put("cursor", query.cursor());
    String queryString = parameters.entrySet().stream().filter(entry -> entry.getValue() != null)
        .map(entry -> entry.getKey() + "=" + encode(entry.getValue())).collect(Collectors.joining("&"));
    return read(send(Call.get("/v1/jobs" + (queryString.isEmpty() ? "" : "?" + queryString))), JobPage.class);
  }

  /** {@code POST /v1/jobs/{id}/cancel}; a finished job answers {@code 409 invalid_transition}. */
  public JobView cancel(String jobId) {
    return job(send(Call.post(jobPath(jobId, "/cancel"), null)));
  }

  /** {@code POST /v1/jobs/{id}/retry}: redrives a FAILED job; any other status answers {@code 409 invalid_transition}. */
  public JobView retry(String jobId) {
    return job(send(Call.post(jobPath(jobId, "/retry"), null)));
  }

  /** {@code DELETE /v1/jobs/{id}}: finished jobs only, else {@code 409}. */
  public void delete(String jobId) {
    send(new Call("DELETE", jobPath(jobId, ""), null, Map.of(), null));
  }

  /** {@code GET /v1/jobs/{id}/history}: every status change, oldest first. */
  public List<JobTransition> history(String jobId) {
    return read(send(Call.get(jobPath(jobId, "/history"))), new TypeReference<Items<JobTransition>>() { }).items();
  }

  // ---- recurring schedules ----

  /** {@code POST /v1/schedules}: creates a schedule; the same request with the same id again answers the existing one. */
  public ScheduleJson createSchedule(ScheduleRequest request) {
    return read(send(Call.post("/v1/schedules", Objects.requireNonNull(request, "request"))), ScheduleJson.class);
  }

  /** {@code GET /v1/schedules}: the tenant's schedules, by id. */
  public List<ScheduleJson> schedules() {
    return read(send(Call.get("/v1/schedules")), new TypeReference<Items<ScheduleJson>>() { }).items();
  }

  /** {@code GET /v1/schedules/{id}}: with its next five fire times and its last runs. */
  public ScheduleJson schedule(String scheduleId) {
    return read(send(Call.get(schedulePath(scheduleId, ""))), ScheduleJson.class);
  }

  /** {@code PATCH /v1/schedules/{id}}: the fields {@code patch} gives replace the schedule's; the next fire time is recomputed. */
  public ScheduleJson changeSchedule(String scheduleId, ScheduleRequest patch) {
    return read(send(new Call("PATCH", schedulePath(scheduleId, ""), Objects.requireNonNull(patch, "patch"), Map.of(), null)), ScheduleJson.class);
  }

  /** {@code POST /v1/schedules/{id}/pause}. */
  public ScheduleJson pauseSchedule(String scheduleId) {
    return read(send(Call.post(schedulePath(scheduleId, "/pause"), null)), ScheduleJson.class);
  }

  /** {@code POST /v1/schedules/{id}/resume}: the next fire time is the first after now. */
  public ScheduleJson resumeSchedule(String scheduleId) {
    return read(send(Call.post(schedulePath(scheduleId, "/resume"), null)), ScheduleJson.class);
  }

  /** {@code DELETE /v1/schedules/{id}}. */
  public void deleteSchedule(String scheduleId) {
    send(new Call("DELETE", schedulePath(scheduleId, ""), null, Map.of(), null));
  }

  private static String schedulePath(String scheduleId, String suffix) {
    return "/v1/schedules/" + encode(Objects.requireNonNull(scheduleId, "scheduleId")) + suffix;
  }

  // ---- event streams ----

  /**
   * {@code GET /v1/jobs/{id}/events}: the job's transitions after {@code lastEventId} (null: from its
   * submission), live; the stream ends after the job finished.
   */
  public EventStream events(String jobId, String lastEventId) {
    return stream(jobPath(jobId, "/events"), lastEventId);
  }

  /**
   * {@code GET /v1/events}: the tenant's transitions after {@code lastEventId} (null: from now on),
   * live, of one queue, type and status reached when they are not null; the stream does not end.
   */
  public EventStream tenantEvents(String queue, String type, JobStatus status, String lastEventId) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    if (queue != null) {
      query.add("queue=" + encode(queue));
    }
    if (type != null) {
      query.add("type=" + encode(type));
    }
    if (status != null) {
      query.add("status=" + status.name());
    }
    return stream("/v1/events" + query, lastEventId);
  }

  private EventStream stream(String path, String lastEventId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(requestTimeout)
        .header("Accept", "text/event-stream").GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    Call call = Call.get(path);
    HttpResponse<Stream<String>> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw failed(call, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("GET " + path + " was interrupted"));
    }
    if (response.statusCode() / 100 != 2) {
      String body;
      try (Stream<String> lines = response.body()) {
        body = lines.collect(Collectors.joining("\n"));
      }
      throw apiException(response.statusCode(), body, response.headers().firstValue("Retry-After").orElse(null));
    }
    return new EventStream(response.body());
  }

  // ---- webhooks ----

  /** {@code GET /v1/jobs/{id}/webhook-deliveries}: the job's webhook deliveries, oldest first, each with its attempts. */
  public List<WebhookDelivery> webhookDeliveries(String jobId) {
    return read(send(Call.get(jobPath(jobId, "/webhook-deliveries"))), new TypeReference<Items<WebhookDelivery>>() { }).items();
  }

  /** {@code POST /v1/admin/tenants/{tenant}/webhook-secret} (admin key): a new signing secret, shown this once. */
  public WebhookSecret drawWebhookSecret(String tenant) {
    return read(send(Call.post(tenantPath(tenant, "/webhook-secret"), null)), WebhookSecret.class);
  }

  /** {@code GET /v1/admin/tenants/{tenant}/webhook} (admin key): the default webhook and when the secret was drawn. */
  public WebhookSettings webhookSettings(String tenant) {
    return read(send(Call.get(tenantPath(tenant, "/webhook"))), WebhookSettings.class);
  }

  /** {@code POST /v1/admin/tenants/{tenant}/webhook} (admin key): the tenant's default webhook URL; null removes it. */
  public WebhookSettings setDefaultWebhook(String tenant, String url) {
    return read(send(Call.post(tenantPath(tenant, "/webhook"), new Webhook(url))), WebhookSettings.class);
  }

  private static String tenantPath(String tenant, String suffix) {
    return "/v1/admin/tenants/" + encode(Objects.requireNonNull(tenant, "tenant")) + suffix;
  }

  // ---- operations ----

  /** {@code GET /v1/stats}: timings over the server's default window (1h). */
  public Stats stats() {
    return read(send(Call.get("/v1/stats")), Stats.class);
  }

  /** {@code GET /v1/stats?window=}: timings of the jobs finished in {@code window}, such as {@code 15m} or {@code 7d}. */
  public Stats stats(String window) {
    return read(send(Call.get("/v1/stats?window=" + encode(Objects.requireNonNull(window, "window")))), Stats.class);
  }

  /** {@code GET /v1/queues}. */
  public List<QueueInfo> queues() {
    return read(send(Call.get("/v1/queues")), new TypeReference<Items<QueueInfo>>() { }).items();
  }

  /** {@code GET /v1/queues/{queue}/dispatcher}: what the queue's dispatcher holds right now (the operator's key only). */
  public DispatcherInfo dispatcher(String queue) {
    return read(send(Call.get("/v1/queues/" + encode(Objects.requireNonNull(queue, "queue")) + "/dispatcher")), DispatcherInfo.class);
  }

  /** {@code GET /v1/workers}. */
  public List<WorkerInfo> workers() {
    return read(send(Call.get("/v1/workers")), new TypeReference<Items<WorkerInfo>>() { }).items();
  }

  // ---- external workers ----

  /**
   * {@code POST /v1/queues/{queue}/lease}: up to {@code max} jobs, waiting up to {@code waitSeconds}
   * for the first one (long poll); an empty list when none came. The request may take that long
   * plus a margin, whatever the client's request timeout.
   */
  public List<LeasedJob> lease(String queue, String workerId, int max, int waitSeconds) {
    return lease(queue, workerId, max, waitSeconds, null);
  }

  /**
   * As {@link #lease(String, String, int, int)}, for jobs of {@code types} only (null or empty: every
   * type): jobs of other types stay for other workers.
   */
  public List<LeasedJob> lease(String queue, String workerId, int max, int waitSeconds, List<String> types) {
    LeaseRequest body = new LeaseRequest(workerId, max, waitSeconds, types == null || types.isEmpty() ? null : List.copyOf(types));
    Duration window = Duration.ofSeconds(Math.max(0, waitSeconds)).plus(LEASE_MARGIN);
    Call call = Call.post("/v1/queues/" + encode(Objects.requireNonNull(queue, "queue")) + "/lease", body)
        .timeout(window.compareTo(requestTimeout) > 0 ? window : requestTimeout);
    return read(send(call), new TypeReference<Items<LeasedJobJson>>() { }).items().stream()
        .map(WireJson::leased).toList();
  }

  /**
   * {@code POST /v1/jobs/{id}/heartbeat}: extends the lease (see the answer's {@code leaseExpiresAt});
   * {@code 409 stale_lease} means stop working on the job.
   *
   * @param progressJson JSON text, or null
   */
  public JobView heartbeat(String jobId, String leaseId, String progressJson) {
    return job(send(Call.post(jobPath(jobId, "/heartbeat"), new HeartbeatRequest(leaseId, WireJson.treeOrNull(progressJson, "progress")))));
  }

  /**
   * {@code POST /v1/jobs/{id}/complete}; {@code 409 stale_lease} if another attempt owns the job.
   *
   * @param resultJson JSON text, or null
   */
  public JobView complete(String jobId, String leaseId, String resultJson) {
    return job(send(Call.post(jobPath(jobId, "/complete"), new CompleteRequest(leaseId, WireJson.treeOrNull(resultJson, "result")))));
  }

  /**
   * {@code POST /v1/jobs/{id}/fail}: the attempt failed; a retryable failure with attempts left
   * goes to RETRYING, else FAILED. {@code 409 stale_lease} if another attempt owns the job.
   */
  public JobView fail(String jobId, String leaseId, String error, boolean retryable) {
    return job(send(Call.post(jobPath(jobId, "/fail"), new FailRequest(leaseId, error, retryable))));
  }

  /**
   * As {@link #fail(String, String, String, boolean)}, retried no sooner than {@code retryAfter} from
   * now (whole seconds, at most {@value FailRequest#MAX_RETRY_AFTER_SECONDS}), or after the job's
   * backoff if that is later: for a worker whose own downstream answered {@code Retry-After}.
   */
  public JobView fail(String jobId, String leaseId, String error, Duration retryAfter) {
    FailRequest request = new FailRequest(leaseId, error, true, Objects.requireNonNull(retryAfter, "retryAfter").toSeconds());
    return job(send(Call.post(jobPath(jobId, "/fail"), request)));
  }

  // ---- admin ----

  /**
   * {@code POST /v1/admin/keys} (admin key): issues a tenant key; the answer is the only time its secret is shown.
   *
   * @param tenant null for the caller's own tenant (a tenant's admin key)
   */
  public IssuedKey issueKey(String tenant, List<String> scopes, String description) {
    IssueKeyRequest body = new IssueKeyRequest(tenant, List.copyOf(scopes), description);
    return read(send(Call.post("/v1/admin/keys", body)), IssuedKey.class);
  }

  /** {@code GET /v1/admin/keys?tenant=} (admin key): the tenant's keys, without secrets. */
  public List<KeyInfo> listKeys(String tenant) {
    return read(send(Call.get("/v1/admin/keys?tenant=" + encode(Objects.requireNonNull(tenant, "tenant")))),
        new TypeReference<Items<KeyInfo>>() { }).items();
  }

  /** {@code GET /v1/admin/keys} (a tenant's admin key): the keys of the caller's own tenant, without secrets. */
  public List<KeyInfo> listKeys() {
    return read(send(Call.get("/v1/admin/keys")), new TypeReference<Items<KeyInfo>>() { }).items();
  }

  /** {@code DELETE /v1/admin/keys/{keyId}} (admin key); an unknown key id answers {@code 404}. */
  public void revokeKey(String keyId) {
    send(new Call("DELETE", "/v1/admin/keys/" + encode(Objects.requireNonNull(keyId, "keyId")), null, Map.of(), null));
  }

  // ---- health ----

  /** {@code GET /health/live}: whether the node's process answers. */
  public boolean live() {
    return exchange(Call.get("/health/live")).statusCode() == 200;
  }

  /** {@code GET /health/ready}: a node that is not ready answers 503 with the same shape, returned here rather than thrown. */
  public Readiness ready() {
    HttpResponse<String> response = exchange(Call.get("/health/ready"));
    if (response.statusCode() != 200 && response.statusCode() != 503) {
      throw apiException(response);
    }
    return parse(response, WireJson.MAPPER.constructType(Readiness.class));
  }

  // ---- plumbing ----

  /** One request: method, path (with query), JSON body or null, extra headers, timeout or null for the default. */
  private record Call(String method, String path, Object body, Map<String, String> headers, Duration timeout) {
    static Call get(String path) {
      return new Call("GET", path, null, Map.of(), null);
    }

    static Call post(String path, Object body) {
      return new Call("POST", path, body, Map.of(), null);
    }

    Call header(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Call(method, path, body, more, timeout);
    }

    Call timeout(Duration value) {
      return new Call(method, path, body, headers, value);
    }
  }

  /** Sends {@code call}; a non-2xx answer throws {@link JobclusterApiException}. */
  private HttpResponse<String> send(Call call) {
    HttpResponse<String> response = exchange(call);
    if (response.statusCode() / 100 != 2) {
      throw apiException(response);
    }
    return response;
  }

  /** As {@link #send(Call)}, without blocking; failures are those {@link #send(Call)} throws, inside a {@link CompletionException}. */
  private CompletableFuture<HttpResponse<String>> sendAsync(Call call) {
    return http.sendAsync(request(call), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .handle((response, failure) -> answered(call, response, failure));
  }

  private static HttpResponse<String> answered(Call call, HttpResponse<String> response, Throwable failure) {
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      throw new CompletionException(cause instanceof IOException io ? failed(call, io) : cause);
    }
    if (response.statusCode() / 100 != 2) {
      throw apiException(response);
    }
    return response;
  }

  private HttpResponse<String> exchange(Call call) {
    try {
      return http.send(request(call), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw failed(call, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException(call.method() + " " + call.path() + " was interrupted"));
    }
  }

  private static UncheckedIOException failed(Call call, IOException e) {
    return new UncheckedIOException(call.method() + " " + call.path() + " failed: " + e, e);
  }

  private HttpRequest request(Call call) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + call.path()))
        .timeout(call.timeout() == null ? requestTimeout : call.timeout())
        .header("Accept", JSON);
    if (call.body() != null) {
      request.header("Content-Type", JSON).method(call.method(), HttpRequest.BodyPublishers.ofString(WireJson.write(call.body())));
    } else {
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    call.headers().forEach(request::header);
    return request.build();
  }

  private static JobView job(HttpResponse<String> response) {
    return read(response, JobJson.class).toView();
  }

  private static <T> T read(HttpResponse<String> response, Class<T> type) {
    return parse(response, WireJson.MAPPER.constructType(type));
  }

  private static <T> T read(HttpResponse<String> response, TypeReference<T> type) {
    return parse(response, WireJson.MAPPER.constructType(type));
  }

  private static <T> T parse(HttpResponse<String> response, com.fasterxml.jackson.databind.JavaType type) {
    try {
      T value = WireJson.MAPPER.readValue(response.body(), type);
      if (value == null) {
        throw new IOException("the answer's body is empty");
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("the answer to " + response.request().method() + " " + response.uri().getPath()
          + " (" + response.statusCode() + ") could not be read: " + e.getMessage(), e);
    }
  }

  private static JobclusterApiException apiException(HttpResponse<String> response) {
    return apiException(response.statusCode(), response.body(), response.headers().firstValue("Retry-After").orElse(null));
  }

  private static JobclusterApiException apiException(int status, String body, String retryAfterHeader) {
    ApiError error = null;
    try {
      error = WireJson.MAPPER.readValue(body, ApiError.class);
    } catch (IOException | IllegalArgumentException e) {
      // Not the API's error shape (a proxy's page, say): described by its status below.
    }
    if (error == null || error.error() == null) {
      error = new ApiError("http_" + status, "the server answered " + status + " without an API error", null, null, null);
    }
    return new JobclusterApiException(status, error, retryAfter(retryAfterHeader));
  }

  /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(Instant.now(), at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static String jobPath(String jobId, String suffix) {
    return "/v1/jobs/" + encode(Objects.requireNonNull(jobId, "jobId")) + suffix;
  }

  /** A path segment or query value, percent-encoded (so an id cannot change the path). */
  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Builds a {@link JobclusterClient}; {@code baseUri} is required. */
  public static final class Builder {
    private URI baseUri;
    private String apiKey;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private HttpClient httpClient;
    private SSLContext sslContext;

    private Builder() {}

    /**
     * The node or load balancer, such as {@code http://127.0.0.1:8080} or {@code https://jobs.example.com};
     * a path prefix is kept. For a node whose certificate is signed by a CA of your own, see {@link #sslContext}.
     */
    public Builder baseUri(URI value) {
      Objects.requireNonNull(value, "baseUri");
      if (!"http".equals(value.getScheme()) && !"https".equals(value.getScheme())) {
        throw new IllegalArgumentException("baseUri must be an http or https URI");
      }
      this.baseUri = value;
      return this;
    }

    /** The API key sent as {@code Authorization: Bearer}; leave it out for health checks only. */
    public Builder apiKey(String value) {
      if (value != null && (value.isBlank() || value.chars().anyMatch(c -> c <= ' ' || c == 127))) {
        // The message never repeats the key.
        throw new IllegalArgumentException("apiKey must be non-blank and hold no spaces or control characters");
      }
      this.apiKey = value;
      return this;
    }

    /** How long to wait for a connection (default 10 s); ignored with {@link #httpClient}. */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    /** How long to wait for each answer (default 30 s); a lease waits at least its long-poll window. */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = positive(value, "requestTimeout");
      return this;
    }

    /**
     * The TLS context for {@code https} base URIs, such as one trusting your own CA (by default the
     * JDK's trusted CAs); host names are verified against the certificate. Ignored with {@link #httpClient}.
     */
    public Builder sslContext(SSLContext value) {
      this.sslContext = Objects.requireNonNull(value, "sslContext");
      return this;
    }

    /** An HttpClient of your own (proxy, TLS, executor); by default the client makes one. */
    public Builder httpClient(HttpClient value) {
      this.httpClient = Objects.requireNonNull(value, "httpClient");
      return this;
    }

    public JobclusterClient build() {
      if (baseUri == null) {
        throw new IllegalStateException("baseUri is required");
      }
      return new JobclusterClient(this);
    }

    private static Duration positive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}
