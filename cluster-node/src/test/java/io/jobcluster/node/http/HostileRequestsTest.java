package io.jobcluster.node.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hundreds of malformed and hostile requests, generated in families against every endpoint of API
 * v1 on a real node: each one gets a 4xx in the JSON error shape and none a 5xx; afterwards the node
 * is ready, still runs jobs, and holds no job or key that a refused request could have created.
 * What {@code java.net.http} refuses to send (restricted headers, control characters, broken
 * framing, raw bytes in the target) goes over a plain socket.
 */
class HostileRequestsTest {
  private static final Logger log = LoggerFactory.getLogger(HostileRequestsTest.class);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String ADMIN_KEY = "admin-key-for-hostile-requests-0123456789";
  private static final int MAX_BODY = 64 * 1024;
  private static final int MAX_BATCH_BODY = 128 * 1024;
  private static final int DEEP = 10_000;
  /** Requests in flight at once: a few, so the run is quick without flooding a shared 2-core machine. */
  private static final int SENDERS = 4;
  /** The tenant that admin key bodies name: a refused request must not leave a key behind for it. */
  private static final String KEY_TENANT = "hostile-keys";
  /** A well-formed id that no job has. */
  private static final String NO_JOB = UUID.randomUUID().toString();
  private static final String VALID_JOB = "{\"type\":\"noop\",\"delaySeconds\":3600}";
  private static final Set<Integer> ANY_4XX = Set.of();
  private static final Set<Integer> BAD_REQUEST = Set.of(400);
  private static final Set<Integer> HEADER_TOO_LARGE = Set.of(400, 431);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static JobclusterNode node;
  private static int port;
  /** Tenant {@code hostile}, allowed to submit, read and work: the requests fail on their content, not on the key. */
  private static String key;
  /** A job leased to an external worker, and its lease: heartbeat, complete and fail bodies aim at it, and must change nothing. */
  private static String leasedJob;
  private static String leaseId;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\njobcluster.worker-queues = \"default:2\"\n"
        + "jobcluster.http.max-body = " + MAX_BODY + "\njobcluster.http.max-batch-body = " + MAX_BATCH_BODY + "\n");
    port = node.httpAddress().getPort();
    key = node.apiKeys().store().issue("hostile", Set.of(Scope.SUBMIT, Scope.READ, Scope.WORK), "hostile requests")
        .toCompletableFuture().get(30, TimeUnit.SECONDS).plaintext();
    Answer submitted = Transport.client(Request.to("POST", "/v1/jobs", key).json("{\"type\":\"transcode\",\"queue\":\"hostile-ext\"}")).send();
    assertEquals(201, submitted.status(), submitted.body());
    leasedJob = JSON.readTree(submitted.body()).get("id").asText();
    Answer leased = Transport.client(Request.to("POST", "/v1/queues/hostile-ext/lease", key).json("{\"workerId\":\"w-1\",\"waitSeconds\":10}"))
        .send();
    JsonNode lease = JSON.readTree(leased.body()).path("items").path(0);
    assertEquals(leasedJob, lease.path("jobId").asText(), leased.body());
    leaseId = lease.get("leaseId").asText();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void everyHostileRequestGetsA4xxJsonErrorAndTheNodeKeepsProcessing() throws Exception {
    List<Shot> shots = new ArrayList<>();
    List<BodyEndpoint> endpoints = bodyEndpoints();
    badJson(shots, endpoints);
    hugeNumbers(shots, endpoints);
    deepNesting(shots, endpoints);
    wrongTypes(shots, endpoints);
    unknownFields(shots, endpoints);
    nulInText(shots, endpoints);
    oversizedBodies(shots, endpoints);
    contentTypes(shots, endpoints);
    badIds(shots);
    badQueries(shots);
    headerAbuse(shots);
    wrongMethods(shots);
    unknownPaths(shots);

    long started = System.nanoTime();
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    List<Outcome> outcomes;
    try {
      List<CompletableFuture<Outcome>> sending = shots.stream().map(shot -> CompletableFuture.supplyAsync(() -> fire(shot), senders)).toList();
      outcomes = sending.stream().map(CompletableFuture::join).toList();
    } finally {
      senders.shutdownNow();
    }
    Map<String, Integer> perFamily = new TreeMap<>();
    shots.forEach(shot -> perFamily.merge(shot.family(), 1, Integer::sum));
    List<String> failures = outcomes.stream().filter(outcome -> outcome.problem() != null).map(Outcome::describe).toList();
    List<String> slowest = outcomes.stream().sorted(Comparator.comparingLong(Outcome::nanos).reversed()).limit(3)
        .map(outcome -> outcome.shot().description() + " " + outcome.nanos() / 1_000_000 + " ms").toList();
    log.info("sent {} hostile requests in {} ms: {}; slowest: {}", shots.size(), Duration.ofNanos(System.nanoTime() - started).toMillis(),
        perFamily, slowest);

    assertTrue(shots.size() >= 300, "only " + shots.size() + " hostile requests: " + perFamily);
    assertTrue(failures.isEmpty(), failures.size() + " of " + shots.size() + " hostile requests were not answered with a 4xx JSON error:\n"
        + String.join("\n", failures));
    theNodeIsReadyStillRunsJobsAndHoldsNothingTheRefusedRequestsCouldHaveCreated();
  }

  private static void theNodeIsReadyStillRunsJobsAndHoldsNothingTheRefusedRequestsCouldHaveCreated() throws Exception {
    assertEquals(200, Transport.client(Request.to("GET", "/health/ready", null)).send().status(), "the node stays ready");
    Answer created = Transport.client(Request.to("POST", "/v1/jobs", key).json("{\"type\":\"noop\"}")).send();
    assertEquals(201, created.status(), created.body());
    String id = JSON.readTree(created.body()).get("id").asText();
    awaitJson("/v1/jobs/" + id, key, job -> job.path("status").asText().equals("COMPLETED"));

    // An admin key lists every tenant's jobs: once the valid job is listed, a job a refused request had created would be too.
    JsonNode listed = awaitJson("/v1/jobs?limit=1000", ADMIN_KEY, page -> page.path("items").findValuesAsText("id").contains(id));
    assertEquals(List.of(id, leasedJob), listed.get("items").findValuesAsText("id"), "no refused request created a job");
    JsonNode leased = awaitJson("/v1/jobs/" + leasedJob, key, job -> true);
    assertEquals("RUNNING", leased.get("status").asText(), "no refused heartbeat, completion or failure changed the leased job: " + leased);
    assertEquals(1, leased.get("attempts").asInt(), leased.toString());
    assertTrue(!leased.hasNonNull("lastError") && !leased.hasNonNull("progress"), leased.toString());
    JsonNode keys = awaitJson("/v1/admin/keys?tenant=" + KEY_TENANT, ADMIN_KEY, page -> page.has("items"));
    assertEquals(0, keys.get("items").size(), "no refused request issued a key: " + keys);
  }

  private static JsonNode awaitJson(String path, String apiKey, Predicate<JsonNode> condition) {
    AtomicReference<JsonNode> reached = new AtomicReference<>();
    Awaitility.await("the expected answer on " + path).atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Answer answer = Transport.client(Request.to("GET", path, apiKey)).send();
      JsonNode body = answer.status() == 200 ? JSON.readTree(answer.body()) : null;
      assertTrue(body != null && condition.test(body), () -> "never reached the expected answer on " + path + "; last: " + answer.status()
          + " " + answer.body());
      reached.set(body);
    });
    return reached.get();
  }

  /** What became of one shot: why its answer does not fit (null: it fits), and how long it took. */
  private record Outcome(Shot shot, String problem, long nanos) {
    String describe() {
      return shot.family() + " | " + shot.method() + " " + excerpt(shot.target(), 100) + " | " + shot.description() + " | " + problem;
    }
  }

  private static Outcome fire(Shot shot) {
    long sent = System.nanoTime();
    String problem;
    try {
      problem = problem(shot, shot.send().send());
    } catch (Exception e) {
      problem = "no answer: " + e;
    }
    return new Outcome(shot, problem, System.nanoTime() - sent);
  }

  /** Why the answer does not fit, or null when it is a fitting 4xx with the JSON error shape. */
  private static String problem(Shot shot, Answer answer) {
    String seen = answer.status() + " " + excerpt(answer.body(), 160);
    if (answer.status() < 400 || answer.status() > 499) {
      return "not a 4xx: " + seen;
    }
    if (!shot.expected().isEmpty() && !shot.expected().contains(answer.status())) {
      return "expected " + shot.expected() + ": " + seen;
    }
    if (!answer.contentType().toLowerCase(Locale.ROOT).startsWith("application/json")) {
      return "content type '" + answer.contentType() + "': " + seen;
    }
    try {
      JsonNode body = JSON.readTree(answer.body());
      if (body == null || !body.path("error").isTextual() || !body.path("message").isTextual()) {
        return "not the error shape: " + seen;
      }
    } catch (IOException e) {
      return "not JSON: " + seen;
    }
    return null;
  }

  private static String excerpt(String text, int max) {
    String flat = text.replace("\r", "\\r").replace("\n", "\\n");
    return flat.length() <= max ? flat : flat.substring(0, max) + "...(" + flat.length() + " chars)";
  }

  // ---------------------------------------------------------------------------------------------
  // The endpoints that read a JSON body, and the families built on them.

  private enum Kind { TEXT, INT, LONG, BOOL, TEXTS, INSTANT, BACKOFF, JOBS, ANY }

  /** A body field: its JSON kind, and the value the endpoint's valid body holds (null: left out). */
  private record Field(String name, Kind kind, String valid) {}

  /** An endpoint that reads a JSON body, the key that may call it, its body limit and its fields. */
  private record BodyEndpoint(String name, String path, String apiKey, int limit, List<Field> fields) {
    String validBody() {
      return with(Map.of());
    }

    String with(String field, String rawValue) {
      return with(Map.of(field, rawValue));
    }

    /** The valid body with some fields set to raw JSON values; names that are no field are added at the end. */
    String with(Map<String, String> overrides) {
      StringBuilder body = new StringBuilder("{");
      Map<String, String> rest = new LinkedHashMap<>(overrides);
      for (Field field : fields) {
        String value = rest.containsKey(field.name()) ? rest.remove(field.name()) : field.valid();
        if (value != null) {
          body.append(body.length() > 1 ? "," : "").append('"').append(field.name()).append("\":").append(value);
        }
      }
      rest.forEach((name, value) -> body.append(body.length() > 1 ? "," : "").append('"').append(name).append("\":").append(value));
      return body.append('}').toString();
    }

    Field first() {
      return fields.get(0);
    }

    /** Where any JSON value may go (a payload, a result), else the first field. */
    String looseField() {
      return fields.stream().filter(field -> field.kind() == Kind.ANY).map(Field::name).findFirst().orElse(first().name());
    }

    Request post(String body) {
      return Request.to("POST", path, apiKey).json(body);
    }

    Request post(byte[] body) {
      return Request.to("POST", path, apiKey).body(body, "application/json");
    }
  }

  private static List<BodyEndpoint> bodyEndpoints() {
    String job = "/v1/jobs/" + leasedJob;
    String lease = "\"" + leaseId + "\"";
    return List.of(
        new BodyEndpoint("submit", "/v1/jobs", key, MAX_BODY, List.of(new Field("type", Kind.TEXT, "\"noop\""),
            new Field("queue", Kind.TEXT, null), new Field("payload", Kind.ANY, null), new Field("priority", Kind.INT, null),
            new Field("maxAttempts", Kind.INT, null), new Field("timeoutSeconds", Kind.INT, null), new Field("backoff", Kind.BACKOFF, null),
            new Field("runAt", Kind.INSTANT, null), new Field("delaySeconds", Kind.LONG, null), new Field("expiresAt", Kind.INSTANT, null),
            new Field("ttlSeconds", Kind.LONG, null), new Field("idempotencyKey", Kind.TEXT, null), new Field("tags", Kind.TEXTS, null))),
        new BodyEndpoint("batch", "/v1/jobs/batch", key, MAX_BATCH_BODY, List.of(new Field("jobs", Kind.JOBS, "[" + VALID_JOB + "]"))),
        new BodyEndpoint("lease", "/v1/queues/hostile/lease", key, MAX_BODY, List.of(new Field("workerId", Kind.TEXT, "\"w-1\""),
            new Field("max", Kind.INT, "1"), new Field("waitSeconds", Kind.INT, "0"))),
        new BodyEndpoint("heartbeat", job + "/heartbeat", key, MAX_BODY, List.of(new Field("leaseId", Kind.TEXT, lease),
            new Field("progress", Kind.ANY, "{\"percent\":5}"))),
        new BodyEndpoint("complete", job + "/complete", key, MAX_BODY, List.of(new Field("leaseId", Kind.TEXT, lease),
            new Field("result", Kind.ANY, "{\"ok\":true}"))),
        new BodyEndpoint("fail", job + "/fail", key, MAX_BODY, List.of(new Field("leaseId", Kind.TEXT, lease),
            new Field("error", Kind.TEXT, "\"boom\""), new Field("retryable", Kind.BOOL, "true"))),
        new BodyEndpoint("admin-keys", "/v1/admin/keys", ADMIN_KEY, MAX_BODY, List.of(new Field("tenant", Kind.TEXT, "\"" + KEY_TENANT + "\""),
            new Field("scopes", Kind.TEXTS, "[\"read\"]"), new Field("description", Kind.TEXT, "\"d\""))));
  }

  /** Text that is not a JSON object, or not JSON at all, each derived from the endpoint's valid body. */
  private static void badJson(List<Shot> shots, List<BodyEndpoint> endpoints) {
    for (BodyEndpoint endpoint : endpoints) {
      String valid = endpoint.validBody();
      String first = endpoint.first().name();
      int firstString = valid.indexOf(":\"") + 2;
      Map<String, String> texts = new LinkedHashMap<>();
      texts.put("truncated by one character", valid.substring(0, valid.length() - 1));
      texts.put("cut inside a string", valid.substring(0, firstString + 1));
      texts.put("an opening brace only", "{");
      texts.put("trailing garbage", valid + " x");
      texts.put("two documents", valid + valid);
      texts.put("trailing comma", valid.substring(0, valid.length() - 1) + ",}");
      texts.put("block comment", "/* hi */" + valid);
      texts.put("line comment", "// hi\n" + valid);
      texts.put("single quotes", valid.replace('"', '\''));
      texts.put("unquoted names", valid.replaceAll("\"(\\w+)\":", "$1:"));
      texts.put("NaN", endpoint.with(first, "NaN"));
      texts.put("-Infinity", endpoint.with(first, "-Infinity"));
      texts.put("hex number", endpoint.with(first, "0x10"));
      texts.put("leading zeros", endpoint.with(first, "007"));
      texts.put("unterminated string", valid.substring(0, valid.length() - 1) + ",\"a\":\"b}");
      texts.put("unescaped control character", valid.substring(0, firstString) + "\u0001" + valid.substring(firstString));
      texts.put("NUL after the document", valid + "\u0000");
      texts.put("duplicate field", "{\"" + first + "\":" + endpoint.first().valid() + "," + valid.substring(1));
      texts.put("empty body", "");
      texts.put("whitespace only", " \n\t ");
      texts.put("null", "null");
      texts.put("array holding the object", "[" + valid + "]");
      texts.put("empty array", "[]");
      texts.put("a string", "\"" + valid.replace("\"", "\\\"") + "\"");
      texts.put("a number", "42");
      texts.put("true", "true");
      texts.forEach((description, text) -> shots.add(new Shot("bad-json", endpoint.post(text), endpoint.name() + ": " + description, BAD_REQUEST)));

      Map<String, byte[]> bytes = new LinkedHashMap<>();
      bytes.put("byte order mark", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, valid.getBytes(UTF_8)));
      bytes.put("invalid UTF-8 sequence", insert(valid, firstString, (byte) 0xC3, (byte) 0x28));
      bytes.put("lone 0xFF byte", insert(valid, firstString, (byte) 0xFF));
      bytes.put("overlong UTF-8 encoding", insert(valid, firstString, (byte) 0xC0, (byte) 0xAF));
      bytes.put("UTF-8 encoded surrogate", insert(valid, firstString, (byte) 0xED, (byte) 0xA0, (byte) 0x80));
      bytes.put("UTF-16 body", valid.getBytes(StandardCharsets.UTF_16));
      bytes.forEach((description, body) -> shots.add(new Shot("bad-json", endpoint.post(body), endpoint.name() + ": " + description, BAD_REQUEST)));
    }
  }

  private static byte[] insert(String text, int at, byte... inserted) {
    return concat(concat(text.substring(0, at).getBytes(UTF_8), inserted), text.substring(at).getBytes(UTF_8));
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private static final List<String> HUGE = List.of("1e999", "-1e999", "9".repeat(400), "-" + "9".repeat(400), "2147483648", "-2147483649",
      "9223372036854775808", "-9223372036854775809", "1.7976931348623157e309");

  /** Numbers too large for their field, out of its range, or too long to read at all. */
  private static void hugeNumbers(List<Shot> shots, List<BodyEndpoint> endpoints) {
    BodyEndpoint submit = endpoints.get(0);
    BodyEndpoint lease = endpoints.get(2);
    Map<String, List<String>> submitRanges = Map.of("priority", List.of("-1", "10"), "maxAttempts", List.of("0", "-5", "1001"),
        "timeoutSeconds", List.of("0", "-1", "86401"), "delaySeconds", List.of("-1", "31622401"), "ttlSeconds", List.of("0", "-1"));
    submitRanges.forEach((field, outOfRange) -> numbers(shots, submit, field, outOfRange));
    numbers(shots, lease, "max", List.of("0", "-1", "101"));
    numbers(shots, lease, "waitSeconds", List.of("-1", "31"));
    for (String part : List.of("initialSeconds", "multiplier", "maxSeconds")) {
      for (String value : List.of("1e999", "-1e999", "9".repeat(400), "1e-999")) {
        Map<String, String> backoff = new LinkedHashMap<>(Map.of("initialSeconds", "1", "multiplier", "2", "maxSeconds", "5"));
        backoff.put(part, value);
        String json = "{\"initialSeconds\":" + backoff.get("initialSeconds") + ",\"multiplier\":" + backoff.get("multiplier")
            + ",\"maxSeconds\":" + backoff.get("maxSeconds") + "}";
        shots.add(new Shot("huge-numbers", submit.post(submit.with("backoff", json)), "submit: backoff." + part + " = " + excerpt(value, 12),
            BAD_REQUEST));
      }
    }
    for (String field : List.of("runAt", "expiresAt")) {
      for (String value : List.of("\"+1000000000-01-01T00:00:00Z\"", "\"-1000000000-01-01T00:00:00Z\"", "\"+294277-01-01T00:00:00Z\"",
          "\"-4714-01-01T00:00:00Z\"", "1e999", "99999999999999999999", "-99999999999999999999")) {
        shots.add(new Shot("huge-numbers", submit.post(submit.with(field, value)), "submit: " + field + " = " + value, BAD_REQUEST));
      }
    }
  }

  private static void numbers(List<Shot> shots, BodyEndpoint endpoint, String field, List<String> outOfRange) {
    List<String> values = new ArrayList<>(HUGE);
    values.addAll(outOfRange);
    for (String value : values) {
      shots.add(new Shot("huge-numbers", endpoint.post(endpoint.with(field, value)), endpoint.name() + ": " + field + " = " + excerpt(value, 24),
          BAD_REQUEST));
    }
  }

  /** 10,000 levels of arrays and of objects, closed and unclosed, in a field and as the whole body; and just past the limit. */
  private static void deepNesting(List<Shot> shots, List<BodyEndpoint> endpoints) {
    String arrays = "[".repeat(DEEP) + "]".repeat(DEEP);
    String objects = "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP);
    String unclosed = "[".repeat(DEEP);
    String mixed = "[{\"a\":".repeat(33) + "1" + "}]".repeat(33);
    Map<String, String> values = new LinkedHashMap<>();
    values.put(DEEP + " nested arrays", arrays);
    values.put(DEEP + " nested objects", objects);
    values.put(DEEP + " unclosed arrays", unclosed);
    values.put("66 levels of arrays and objects", mixed);
    values.put("66 nested arrays", "[".repeat(66) + "]".repeat(66));
    for (BodyEndpoint endpoint : endpoints) {
      String field = endpoint.looseField();
      values.forEach((description, value) -> shots.add(new Shot("deep-nesting", endpoint.post(endpoint.with(field, value)),
          endpoint.name() + ": " + field + " holds " + description, BAD_REQUEST)));
      shots.add(new Shot("deep-nesting", endpoint.post(arrays), endpoint.name() + ": the body is " + DEEP + " nested arrays", BAD_REQUEST));
      shots.add(new Shot("deep-nesting", endpoint.post(objects), endpoint.name() + ": the body is " + DEEP + " nested objects", BAD_REQUEST));
    }
  }

  private static List<String> wrongValues(Kind kind) {
    switch (kind) {
      case TEXT:
        return List.of("12", "1.5", "true", "{}", "[]", "[\"x\"]");
      case INT:
      case LONG:
        return List.of("\"5\"", "\"five\"", "1.5", "1e2", "true", "{}", "[]", "[1]");
      case BOOL:
        return List.of("\"true\"", "1", "0", "\"yes\"", "{}", "[]");
      case TEXTS:
        return List.of("\"read\"", "1", "{}", "[1]", "[true]", "[{}]", "[[]]");
      case INSTANT:
        return List.of("true", "{}", "[]", "\"tomorrow\"", "\"2030-13-45T00:00:00Z\"", "\"\"", "\"2030-01-01\"");
      case BACKOFF:
        return List.of("\"fast\"", "1", "[]", "true", "{\"initialSeconds\":\"1\",\"multiplier\":2,\"maxSeconds\":5}");
      case JOBS:
        return List.of("\"x\"", "{}", "1", "true", "[]", "null");
      default:
        return List.of();
    }
  }

  /** Every field of every body with values of the wrong JSON type, the rest of the body valid. */
  private static void wrongTypes(List<Shot> shots, List<BodyEndpoint> endpoints) {
    for (BodyEndpoint endpoint : endpoints) {
      for (Field field : endpoint.fields()) {
        for (String value : wrongValues(field.kind())) {
          shots.add(new Shot("wrong-types", endpoint.post(endpoint.with(field.name(), value)), endpoint.name() + ": " + field.name() + " = " + value,
              BAD_REQUEST));
        }
      }
    }
  }

  /** Fields no body has, next to valid ones. */
  private static void unknownFields(List<Shot> shots, List<BodyEndpoint> endpoints) {
    for (BodyEndpoint endpoint : endpoints) {
      String first = endpoint.first().name();
      Map<String, String> unknown = new LinkedHashMap<>();
      unknown.put("surprise", "1");
      unknown.put(first.substring(0, 1).toUpperCase(Locale.ROOT) + first.substring(1), endpoint.first().valid());
      unknown.put(first + " ", endpoint.first().valid());
      unknown.put("__proto__", "{\"admin\":true}");
      unknown.put("", "1");
      unknown.put("n".repeat(5000), "1");
      unknown.forEach((name, value) -> shots.add(new Shot("unknown-fields", endpoint.post(endpoint.with(name, value)),
          endpoint.name() + ": unknown field '" + excerpt(name, 12) + "'", BAD_REQUEST)));
    }
    BodyEndpoint submit = endpoints.get(0);
    shots.add(new Shot("unknown-fields", submit.post(submit.with("backoff", "{\"initialSeconds\":1,\"multiplier\":2,\"maxSeconds\":5,\"jitter\":0}")),
        "submit: unknown field inside backoff", BAD_REQUEST));
  }

  /** NUL inside text fields: valid JSON, but no text a database column (or a sane client) holds. */
  private static void nulInText(List<Shot> shots, List<BodyEndpoint> endpoints) {
    for (BodyEndpoint endpoint : endpoints) {
      for (Field field : endpoint.fields()) {
        String text = "\"a\\u0000b\"";
        if (field.kind() == Kind.TEXT || field.kind() == Kind.TEXTS) {
          String value = field.kind() == Kind.TEXT ? text : "[" + text + "]";
          shots.add(new Shot("nul-in-text", endpoint.post(endpoint.with(field.name(), value)), endpoint.name() + ": " + field.name() + " = " + value,
              ANY_4XX));
        }
      }
    }
  }

  /** Bodies just over and far over the endpoint's limit, with and without a length, and lengths that lie about it. */
  private static void oversizedBodies(List<Shot> shots, List<BodyEndpoint> endpoints) {
    Set<Integer> tooLarge = Set.of(413);
    for (BodyEndpoint endpoint : endpoints) {
      String valid = endpoint.validBody();
      String justOver = valid + " ".repeat(endpoint.limit() + 1 - valid.length());
      String farOver = valid + " ".repeat(4 * endpoint.limit());
      String name = endpoint.name() + ": ";
      shots.add(new Shot("oversized", endpoint.post(justOver), name + "one byte over the limit", tooLarge));
      shots.add(new Shot("oversized", endpoint.post(farOver), name + "four times the limit", tooLarge));
      shots.add(new Shot("oversized", endpoint.post(justOver).inChunks(), name + "chunked, no length, one byte over", tooLarge));
      shots.add(new Shot("oversized", endpoint.post(farOver).inChunks(), name + "chunked, no length, four times the limit", tooLarge));
      shots.add(new Shot("oversized", endpoint.post(valid.substring(1)).inChunks(), name + "chunked, no length, bad JSON", BAD_REQUEST));
      byte[] start = (valid + " ".repeat(16 * 1024)).getBytes(UTF_8);
      shots.add(Shot.raw("oversized", endpoint.post(start).header("Content-Length", Long.toString(1L << 30)),
          name + "Content-Length claims 1 GiB", tooLarge));
      shots.add(Shot.raw("oversized", endpoint.post(start).header("Content-Length", "9000000"),
          name + "Content-Length claims 9 MB, over the server's limit", tooLarge));
      shots.add(Shot.raw("oversized", endpoint.post("zz\r\n" + valid + "\r\n0\r\n\r\n").header("Transfer-Encoding", "chunked"),
          name + "chunked with a malformed chunk size", ANY_4XX));
    }
  }

  /** Bodies that are valid JSON, sent as something else. */
  private static void contentTypes(List<Shot> shots, List<BodyEndpoint> endpoints) {
    Set<Integer> unsupported = Set.of(415);
    List<String> types = List.of("text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json-patch+json",
        "application/jsonx", "text/json", "application/xml", "*/*", "json");
    // JSON is UTF-8 whatever charset the header names (the server drops the parameter), so a body really
    // in that charset is refused as bad UTF-8, or the charset as unsupported.
    Map<String, Charset> charsets = new LinkedHashMap<>();
    charsets.put("application/json; charset=latin1", ISO_8859_1);
    charsets.put("application/json; charset=ISO-8859-1", ISO_8859_1);
    charsets.put("application/json; charset=utf-16", StandardCharsets.UTF_16);
    charsets.put("application/json; charset=no-such-charset", ISO_8859_1);
    for (BodyEndpoint endpoint : endpoints) {
      String validText = endpoint.validBody();
      byte[] valid = validText.getBytes(UTF_8);
      for (String type : types) {
        shots.add(new Shot("content-type", Request.to("POST", endpoint.path(), endpoint.apiKey()).body(valid, type),
            endpoint.name() + ": Content-Type " + type, unsupported));
      }
      int firstString = validText.indexOf(":\"") + 2;
      String accented = validText.substring(0, firstString) + "caf\u00e9" + validText.substring(firstString);
      charsets.forEach((type, charset) -> shots.add(new Shot("content-type", Request.to("POST", endpoint.path(), endpoint.apiKey())
          .body(accented.getBytes(charset), type), endpoint.name() + ": Content-Type " + type + ", body in " + charset, Set.of(400, 415))));
      shots.add(new Shot("content-type", Request.to("POST", endpoint.path(), endpoint.apiKey()).body(valid, null),
          endpoint.name() + ": no Content-Type", unsupported));
      shots.add(Shot.raw("content-type", Request.to("POST", endpoint.path(), endpoint.apiKey()).body(valid, null).header("Content-Type", ""),
          endpoint.name() + ": empty Content-Type", unsupported));
      shots.add(Shot.raw("content-type", endpoint.post(valid).header("Content-Type", "text/plain"),
          endpoint.name() + ": two Content-Type headers", Set.of(400, 415)));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Families on paths, query strings, headers and methods.

  private record IdRoute(String method, String prefix, String suffix, String apiKey, String body) {}

  /** Ids that are no job's (or key's) id: malformed, huge, traversing, NUL, unicode, broken escapes. */
  private static void badIds(List<Shot> shots) {
    List<IdRoute> routes = List.of(new IdRoute("GET", "/v1/jobs/", "", key, null), new IdRoute("DELETE", "/v1/jobs/", "", key, null),
        new IdRoute("POST", "/v1/jobs/", "/cancel", key, null), new IdRoute("POST", "/v1/jobs/", "/retry", key, null),
        new IdRoute("GET", "/v1/jobs/", "/history", key, null),
        new IdRoute("POST", "/v1/jobs/", "/heartbeat", key, "{\"leaseId\":\"lease-1\"}"),
        new IdRoute("POST", "/v1/jobs/", "/complete", key, "{\"leaseId\":\"lease-1\"}"),
        new IdRoute("POST", "/v1/jobs/", "/fail", key, "{\"leaseId\":\"lease-1\",\"error\":\"boom\"}"),
        new IdRoute("DELETE", "/v1/admin/keys/", "", ADMIN_KEY, null));
    Set<Integer> notFound = Set.of(404);
    Map<String, Set<Integer>> ids = new LinkedHashMap<>();
    ids.put("not-a-uuid", notFound);
    ids.put("12345", notFound);
    ids.put("null", notFound);
    ids.put(NO_JOB.toUpperCase(Locale.ROOT), notFound);
    ids.put(NO_JOB.replace("-", ""), notFound);
    ids.put(NO_JOB + "0", notFound);
    ids.put("%7B" + NO_JOB + "%7D", notFound);
    ids.put("..%2F..%2Fadmin%2Fkeys", notFound);
    ids.put("%2e%2e", notFound);
    ids.put("%00", notFound);
    ids.put(NO_JOB.substring(0, 35) + "%00", notFound);
    ids.put("%E2%98%83", notFound);
    ids.put("%C0%AE%C0%AE", ANY_4XX);
    ids.put("%20", notFound);
    ids.put("a;b=c", notFound);
    ids.put("i".repeat(1900), notFound);
    ids.put("i".repeat(10_000), Set.of(400, 414));
    for (IdRoute route : routes) {
      ids.forEach((id, expected) -> shots.add(new Shot("bad-ids", idRequest(route, id), "id " + excerpt(id, 40), expected)));
      shots.add(Shot.raw("bad-ids", idRequest(route, "%ZZ"), "a broken percent escape", BAD_REQUEST));
      shots.add(Shot.raw("bad-ids", idRequest(route, "%"), "a lone percent sign", BAD_REQUEST));
      shots.add(Shot.raw("bad-ids", idRequest(route, latin1("\u00e9t\u00e9")), "raw UTF-8 bytes in the path", ANY_4XX));
      shots.add(Shot.raw("bad-ids", idRequest(route, "a\u0000b"), "a raw NUL byte in the path", ANY_4XX));
    }
  }

  private static Request idRequest(IdRoute route, String id) {
    Request request = Request.to(route.method(), route.prefix() + id + route.suffix(), route.apiKey());
    return route.body() == null ? request : request.json(route.body());
  }

  /** The bytes of {@code text} in UTF-8, as a string of one char per byte (what a raw request writes out). */
  private static String latin1(String text) {
    return new String(text.getBytes(UTF_8), ISO_8859_1);
  }

  /** Listing and key-listing parameters that are garbage, out of range, repeated or huge. */
  private static void badQueries(List<Shot> shots) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    List<String> jobs = new ArrayList<>(List.of("status=DONE", "status=pending", "status=", "status", "status=%00", "status=PENDING%00",
        "status=PENDING,RUNNING", "limit=abc", "limit=0", "limit=-1", "limit=1001", "limit=99999999999999999999", "limit=1e3", "limit=1.5",
        "limit=", "limit=%00", "limit=%205", "limit=0x10", "limit=5%00", "limit=" + "9".repeat(1500), "cursor=!!!", "cursor=", "cursor=%00",
        "cursor=a%2Bb%2Fc%3D", "cursor=" + "Q".repeat(1500), "queue=%00", "type=%00", "queue=Bad!", "type=no%20such%20type",
        "queue=" + "q".repeat(65), "limit=0&limit=abc", "status=DONE&status=NOPE", "cursor=x&cursor=y", "limit=10&limit=" + "9".repeat(30)));
    for (String plain : List.of("garbage", "2020-01-01T00:00:00Z|", "|" + NO_JOB, "not-a-time|" + NO_JOB, "+1000000000-01-01T00:00:00Z|" + NO_JOB,
        "-1000000000-01-01T00:00:00Z|" + NO_JOB, "2020-01-01T00:00:00Z|\u0000", "2020-01-01T00:00:00Z|not-a-uuid", "2020-01-01T00:00:00Z|" + "x".repeat(300))) {
      jobs.add("cursor=" + base64.encodeToString(plain.getBytes(UTF_8)));
    }
    for (String query : jobs) {
      shots.add(new Shot("bad-query", Request.to("GET", "/v1/jobs?" + query, key), "list ?" + excerpt(query, 40), BAD_REQUEST));
    }
    shots.add(new Shot("bad-query", Request.to("GET", "/v1/jobs?limit=" + "9".repeat(10_000), key), "a 10,000 digit limit", Set.of(400, 414)));
    shots.add(Shot.raw("bad-query", Request.to("GET", "/v1/jobs?%%%", key), "a broken percent escape", BAD_REQUEST));
    shots.add(Shot.raw("bad-query", Request.to("GET", "/v1/jobs?status=" + latin1("\u00fc"), key), "raw UTF-8 bytes in the query", ANY_4XX));
    for (String query : List.of("", "tenant=", "tenant", "tenant=%00", "tenant=BAD!", "tenant=" + "t".repeat(65), "tenant=a&tenant=%00")) {
      shots.add(new Shot("bad-query", Request.to("GET", "/v1/admin/keys" + (query.isEmpty() ? "" : "?" + query), ADMIN_KEY),
          "key list ?" + excerpt(query, 30), BAD_REQUEST));
    }
  }

  /** Keys that are missing, malformed, huge, two at once or with control characters; Idempotency-Key abuse; broken framing. */
  private static void headerAbuse(List<Shot> shots) {
    Set<Integer> unauthorized = Set.of(401);
    Request submit = Request.to("POST", "/v1/jobs", null).json(VALID_JOB);
    Map<String, String> authorizations = new LinkedHashMap<>();
    authorizations.put("no scheme, just the key", key);
    authorizations.put("no scheme", "abc");
    authorizations.put("scheme only", "Bearer");
    authorizations.put("Basic scheme", "Basic " + Base64.getEncoder().encodeToString(("user:" + key).getBytes(UTF_8)));
    authorizations.put("another scheme", "Token " + key);
    authorizations.put("two words after Bearer", "Bearer " + key + " extra");
    authorizations.put("a 7,000 character key", "Bearer jc_" + "k".repeat(7000));
    authorizations.forEach((description, value) -> shots.add(new Shot("header-abuse", submit.header("Authorization", value),
        "Authorization: " + description, unauthorized)));
    shots.add(new Shot("header-abuse", submit.header("Authorization", "Bearer " + "k".repeat(9000)), "Authorization: a 9,000 character key",
        HEADER_TOO_LARGE));
    shots.add(new Shot("header-abuse", submit.header("X-API-Key", "k".repeat(9000)), "X-API-Key: a 9,000 character key", HEADER_TOO_LARGE));
    shots.add(new Shot("header-abuse", submit.header("X-API-Key", ""), "X-API-Key: empty", unauthorized));
    shots.add(new Shot("header-abuse", submit.header("X-API-Key", "not-a-key"), "X-API-Key: not a key", unauthorized));
    shots.add(new Shot("header-abuse", submit.header("Authorization", "Bearer " + key).header("X-API-Key", ADMIN_KEY),
        "two different valid keys at once", unauthorized));
    shots.add(new Shot("header-abuse", submit.header("Authorization", "Bearer " + key).header("X-API-Key", "not-a-key"),
        "a valid Bearer key and a bad X-API-Key", unauthorized));
    shots.add(new Shot("header-abuse", submit.header("Authorization", "Bearer not-a-key").header("X-API-Key", key),
        "a bad Bearer key and a valid X-API-Key", unauthorized));
    shots.add(new Shot("header-abuse", submit, "no key at all", unauthorized));
    for (String control : List.of("\u0000", "\u0001", "\u001b", "\u007f", "\u00ff")) {
      String code = String.format("0x%02X", (int) control.charAt(0));
      shots.add(Shot.raw("header-abuse", submit.header("X-API-Key", key + control), "X-API-Key with " + code + " at the end", ANY_4XX));
      shots.add(Shot.raw("header-abuse", submit.header("Authorization", "Bearer " + control + key), "Authorization with " + code + " before the key",
          ANY_4XX));
    }
    shots.add(Shot.raw("header-abuse", submit.header("X-API-Key", "x\r\n " + key), "a folded X-API-Key line", ANY_4XX));
    shots.add(Shot.raw("header-abuse", submit.header("X-API-Key " + key, null), "a header line without a colon", ANY_4XX));
    shots.add(Shot.raw("header-abuse", submit.header("X-API-Key ", key), "a space before the colon", ANY_4XX));
    shots.add(Shot.raw("header-abuse", submit.header("X-" + "h".repeat(300), "1"), "a 300 character header name", ANY_4XX));
    Request many = submit;
    for (int i = 0; i < 100; i++) {
      many = many.header("X-Filler-" + i, "1");
    }
    shots.add(Shot.raw("header-abuse", many, "100 extra headers", ANY_4XX));

    Request authorized = submit.header("Authorization", "Bearer " + key);
    shots.add(new Shot("header-abuse", authorized.header("Idempotency-Key", "i".repeat(10_240)), "a 10 KB Idempotency-Key", HEADER_TOO_LARGE));
    shots.add(new Shot("header-abuse", authorized.header("Idempotency-Key", "i".repeat(300)), "a 300 character Idempotency-Key", BAD_REQUEST));
    shots.add(new Shot("header-abuse", authorized.header("Idempotency-Key", "a b"), "an Idempotency-Key with a space", BAD_REQUEST));
    shots.add(new Shot("header-abuse", authorized.header("Idempotency-Key", ""), "an empty Idempotency-Key", BAD_REQUEST));
    shots.add(Shot.raw("header-abuse", authorized.header("Idempotency-Key", latin1("schl\u00fcssel")), "a non-ASCII Idempotency-Key", ANY_4XX));
    shots.add(Shot.raw("header-abuse", authorized.header("Idempotency-Key", "k\u0001"), "an Idempotency-Key with 0x01", ANY_4XX));
    shots.add(new Shot("header-abuse", Request.to("POST", "/v1/jobs", key).json("{\"type\":\"noop\",\"idempotencyKey\":\"a\"}")
        .header("Idempotency-Key", "b"), "an Idempotency-Key that differs from the body's", BAD_REQUEST));

    Request framed = Request.to("POST", "/v1/jobs", key);
    byte[] body = VALID_JOB.getBytes(UTF_8);
    String chunked = Integer.toHexString(body.length) + "\r\n" + VALID_JOB + "\r\n0\r\n\r\n";
    shots.add(Shot.raw("header-abuse", framed.json(VALID_JOB).header("Transfer-Encoding", "gzip"), "Transfer-Encoding: gzip", ANY_4XX));
    shots.add(Shot.raw("header-abuse", framed.json(chunked).header("Transfer-Encoding", "chunked").header("Content-Length", Integer.toString(chunked.length())),
        "chunked and a Content-Length", ANY_4XX));
    for (String length : List.of("abc", "-5", "99999999999999999999999", "1e3", "")) {
      shots.add(Shot.raw("header-abuse", framed.json(VALID_JOB).header("Content-Length", length), "Content-Length: '" + length + "'", ANY_4XX));
    }
    shots.add(Shot.raw("header-abuse", framed.json(VALID_JOB).header("Content-Length", Integer.toString(body.length))
        .header("Content-Length", Integer.toString(body.length - 1)), "two different Content-Lengths", ANY_4XX));
    shots.add(Shot.raw("header-abuse", framed.json(VALID_JOB).header("Host", "evil.example"), "two Host headers", ANY_4XX));
    shots.add(Shot.literal("header-abuse", "POST", "/v1/jobs", "no Host header",
        "POST /v1/jobs HTTP/1.1\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
            + "\r\nConnection: close\r\n\r\n" + VALID_JOB, ANY_4XX));
    for (String version : List.of("HTTP/1.2", "HTTP/2.0", "HTTP/9.9", "HTTX/1.1", "")) {
      shots.add(Shot.literal("header-abuse", "GET", "/v1/jobs", "version '" + version + "' without a key",
          "GET /v1/jobs " + version + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", ANY_4XX));
    }
    shots.add(Shot.literal("header-abuse", "GET", "/v1/jobs", "two spaces in the request line",
        "GET  /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", ANY_4XX));
    shots.add(Shot.literal("header-abuse", "GET", "/v1/jobs", "a garbage request line", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\r\n\r\n", ANY_4XX));
  }

  private record PathMethods(String path, Set<String> allowed) {}

  /** Every path with every method it does not take, custom methods included. */
  private static void wrongMethods(List<Shot> shots) {
    String job = "/v1/jobs/" + NO_JOB;
    List<PathMethods> paths = List.of(new PathMethods("/v1/jobs", Set.of("GET", "POST")), new PathMethods("/v1/jobs/batch", Set.of("POST")),
        new PathMethods(job, Set.of("GET", "DELETE")), new PathMethods(job + "/cancel", Set.of("POST")), new PathMethods(job + "/retry", Set.of("POST")),
        new PathMethods(job + "/history", Set.of("GET")), new PathMethods(job + "/heartbeat", Set.of("POST")),
        new PathMethods(job + "/complete", Set.of("POST")), new PathMethods(job + "/fail", Set.of("POST")), new PathMethods("/v1/stats", Set.of("GET")),
        new PathMethods("/v1/queues", Set.of("GET")), new PathMethods("/v1/workers", Set.of("GET")),
        new PathMethods("/v1/queues/hostile/lease", Set.of("POST")), new PathMethods("/v1/admin/keys", Set.of("GET", "POST")),
        new PathMethods("/v1/admin/keys/0000000000000000", Set.of("DELETE")), new PathMethods("/health/live", Set.of("GET")),
        new PathMethods("/health/ready", Set.of("GET")));
    Set<Integer> notAllowed = Set.of(405);
    for (PathMethods path : paths) {
      // "batch" is also a (malformed) job id, so methods the batch path does not take find no such job.
      Set<Integer> expected = path.path().endsWith("/batch") ? Set.of(404, 405) : notAllowed;
      for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
        if (!path.allowed().contains(method)) {
          Request request = Request.to(method, path.path(), key);
          shots.add(new Shot("wrong-methods", method.equals("GET") || method.equals("DELETE") ? request : request.json("{}"), method, expected));
        }
      }
      for (String method : List.of("TRACE", "FOO", "get", "M-SEARCH")) {
        // Methods the server does not know are refused by its parser, before any route.
        shots.add(Shot.raw("wrong-methods", Request.to(method, path.path(), key), method, method.equals("TRACE") ? expected : notAllowed));
      }
    }
  }

  /** Paths that are not part of the API. */
  private static void unknownPaths(List<Shot> shots) {
    String job = "/v1/jobs/" + NO_JOB;
    Set<Integer> expected = Set.of(404, 405);
    for (String path : List.of("/", "/v1", "/v1/", "/v2/jobs", "/V1/jobs", "/v1/JOBS", "/v1/jobs/", job + "/explode", job + "/cancel/now",
        job + "/history/x", "/v1/admin", "/v1/admin/keys/a/b", "/v1/queues/hostile", "/v1/queues/hostile/lease/x", "/health", "/health/dead",
        "/metrics/x", "/favicon.ico", "/.env", "/v1/jobs/batch/x", "/v1//jobs", "/v1/jobs%2Fbatch", "/v1/stats/x", "/wp-admin/index.php")) {
      shots.add(new Shot("unknown-paths", Request.to("GET", path, key), "GET", expected));
      shots.add(new Shot("unknown-paths", Request.to("POST", path, key).json("{}"), "POST", expected));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sending.

  /** An answer as received: status, Content-Type and body text. */
  private record Answer(int status, String contentType, String body) {}

  @FunctionalInterface
  private interface Transport {
    Answer send() throws Exception;

    static Transport client(Request request) {
      return () -> sendWithClient(request);
    }

    static Transport socket(Request request) {
      return () -> exchange(request.rawBytes());
    }
  }

  /** One hostile request: family, what it is, the statuses that fit (empty: any 4xx), and how it is sent. */
  private record Shot(String family, String method, String target, String description, Set<Integer> expected, Transport send) {
    /** Sent with {@code java.net.http}. */
    Shot(String family, Request request, String description, Set<Integer> expected) {
      this(family, request.method(), request.target(), description, expected, Transport.client(request));
    }

    /** Written to a plain socket, for what {@code java.net.http} refuses to send. */
    static Shot raw(String family, Request request, String description, Set<Integer> expected) {
      return new Shot(family, request.method(), request.target(), description, expected, Transport.socket(request));
    }

    /** Exactly these characters (one byte each) written to a plain socket. */
    static Shot literal(String family, String method, String target, String description, String request, Set<Integer> expected) {
      return new Shot(family, method, target, description, expected, () -> exchange(request.getBytes(ISO_8859_1)));
    }
  }

  /**
   * A request: method, target (path and query as sent), the key sent as a Bearer token (null: none),
   * extra headers as name/value pairs (a null value writes the name as the whole line), and a body with
   * its Content-Type (null: none), sent with a length or chunked.
   */
  private record Request(String method, String target, String apiKey, List<String> headers, byte[] body, String contentType, boolean chunked) {
    static Request to(String method, String target, String apiKey) {
      return new Request(method, target, apiKey, List.of(), null, null, false);
    }

    Request json(String text) {
      return body(text.getBytes(UTF_8), "application/json");
    }

    Request body(byte[] bytes, String type) {
      return new Request(method, target, apiKey, headers, bytes, type, chunked);
    }

    Request header(String name, String value) {
      List<String> more = new ArrayList<>(headers);
      more.add(name);
      more.add(value);
      return new Request(method, target, apiKey, more, body, contentType, chunked);
    }

    Request inChunks() {
      return new Request(method, target, apiKey, headers, body, contentType, true);
    }

    boolean hasHeader(String name) {
      for (int i = 0; i < headers.size(); i += 2) {
        if (headers.get(i).equalsIgnoreCase(name)) {
          return true;
        }
      }
      return false;
    }

    /** The request as a client writes it on the wire, with {@code Connection: close}. */
    byte[] rawBytes() {
      StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
      if (apiKey != null) {
        head.append("Authorization: Bearer ").append(apiKey).append("\r\n");
      }
      if (contentType != null) {
        head.append("Content-Type: ").append(contentType).append("\r\n");
      }
      for (int i = 0; i < headers.size(); i += 2) {
        head.append(headers.get(i)).append(headers.get(i + 1) == null ? "" : ": " + headers.get(i + 1)).append("\r\n");
      }
      byte[] content = body == null ? new byte[0] : body;
      if (chunked) {
        head.append("Transfer-Encoding: chunked\r\n");
        content = concat(concat((Integer.toHexString(content.length) + "\r\n").getBytes(ISO_8859_1), content), "\r\n0\r\n\r\n".getBytes(ISO_8859_1));
      } else if (body != null && !hasHeader("Content-Length") && !hasHeader("Transfer-Encoding")) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      return concat(head.append("\r\n").toString().getBytes(ISO_8859_1), content);
    }
  }

  private static Answer sendWithClient(Request request) throws Exception {
    HttpRequest.BodyPublisher body;
    if (request.body() == null) {
      body = HttpRequest.BodyPublishers.noBody();
    } else if (request.chunked()) {
      body = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(request.body()));
    } else {
      body = HttpRequest.BodyPublishers.ofByteArray(request.body());
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.target()))
        .timeout(Duration.ofSeconds(30)).method(request.method(), body);
    if (request.apiKey() != null) {
      builder.header("Authorization", "Bearer " + request.apiKey());
    }
    if (request.contentType() != null) {
      builder.header("Content-Type", request.contentType());
    }
    for (int i = 0; i < request.headers().size(); i += 2) {
      builder.header(request.headers().get(i), request.headers().get(i + 1));
    }
    HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
  }

  /** Writes {@code request} to a fresh connection and reads the answer (interim 1xx answers skipped). */
  private static Answer exchange(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before it has read everything (an oversized body): read its answer.
      }
      return readAnswer(socket.getInputStream());
    }
  }

  private static Answer readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    Answer answer = null;
    try {
      int read;
      while (answer == null && (read = in.read(buffer)) >= 0) {
        received.write(buffer, 0, read);
        answer = parseAnswer(received.toByteArray(), false);
      }
    } catch (IOException e) {
      // A reset after the answer was sent: use what arrived.
    }
    if (answer == null) {
      answer = parseAnswer(received.toByteArray(), true);
    }
    if (answer == null) {
      throw new IOException("no complete answer; received: '" + excerpt(received.toString(ISO_8859_1), 200) + "'");
    }
    return answer;
  }

  /** The final answer in {@code bytes}, or null while it is incomplete (at the end of the stream, whatever body came). */
  private static Answer parseAnswer(byte[] bytes, boolean ended) {
    String text = new String(bytes, ISO_8859_1);
    int start = 0;
    while (true) {
      int headEnd = text.indexOf("\r\n\r\n", start);
      if (headEnd < 0) {
        return null;
      }
      String[] lines = text.substring(start, headEnd).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      if (status >= 100 && status < 200) {
        start = headEnd + 4;
        continue;
      }
      String contentType = "";
      int length = -1;
      for (String line : lines) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon).trim();
        if (name.equalsIgnoreCase("Content-Type")) {
          contentType = line.substring(colon + 1).trim();
        } else if (name.equalsIgnoreCase("Content-Length")) {
          length = Integer.parseInt(line.substring(colon + 1).trim());
        }
      }
      int bodyStart = headEnd + 4;
      if (length >= 0 && bytes.length - bodyStart >= length) {
        return new Answer(status, contentType, new String(bytes, bodyStart, length, UTF_8));
      }
      return ended ? new Answer(status, contentType, new String(bytes, bodyStart, bytes.length - bodyStart, UTF_8)) : null;
    }
  }
}
