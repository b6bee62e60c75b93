package io.jobcluster.node.http;

import static io.jobcluster.node.http.HttpTestClient.concat;
import static io.jobcluster.node.http.HttpTestClient.excerpt;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.http.HttpTestClient.Answer;
import io.jobcluster.node.http.HttpTestClient.Request;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hundreds of malformed and hostile requests, generated in families against every endpoint of API
 * v1 on a real node, one test each: each gets a 4xx in the JSON error shape and none a 5xx;
 * afterwards the node is ready, still runs jobs, and holds no job or key that a refused request
 * could have created. What {@code java.net.http} refuses to send (restricted headers, control
 * characters, broken framing, raw bytes in the target) goes over a plain socket.
 */
class HostileRequestsTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String ADMIN_KEY = "admin-key-for-hostile-requests-0123456789";
  private static final int MAX_BODY = 64 * 1024;
  private static final int MAX_BATCH_BODY = 128 * 1024;
  private static final int DEEP = 10_000;
  /** The tenant that admin key bodies name: a refused request must not leave a key behind for it. */
  private static final String KEY_TENANT = "hostile-keys";
  /** A well-formed id that no job has. */
  private static final String NO_JOB = UUID.randomUUID().toString();
  private static final String VALID_JOB = "{\"type\":\"noop\",\"delaySeconds\":3600}";
  private static final Set<Integer> ANY_4XX = Set.of();
  private static final Set<Integer> BAD_REQUEST = Set.of(400);
  private static final Set<Integer> HEADER_TOO_LARGE = Set.of(400, 431);

  private static JobclusterNode node;
  private static HttpTestClient http;
  /** Tenant {@code hostile}, allowed to submit, read and work: the requests fail on their content, not on the key. */
  private static String key;
  /** A job leased to an external worker, and its lease: heartbeat, complete and fail bodies aim at it, and must change nothing. */
  private static String leasedJob;
  private static String leaseId;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), """
        jobcluster.admin-key = "%s"
        jobcluster.worker-queues = "default:2"
        jobcluster.http.max-body = %d
        jobcluster.http.max-batch-body = %d
        """.formatted(ADMIN_KEY, MAX_BODY, MAX_BATCH_BODY));
    http = new HttpTestClient(node);
    key = http.issueKey("hostile", Set.of(Scope.SUBMIT, Scope.READ, Scope.WORK));
    Answer submitted = http.send("POST", "/v1/jobs", key, "{\"type\":\"transcode\",\"queue\":\"hostile-ext\"}");
    assertEquals(201, submitted.status(), submitted.text());
    leasedJob = submitted.body().get("id").asText();
    Answer leased = http.send("POST", "/v1/queues/hostile-ext/lease", key, "{\"workerId\":\"w-1\",\"waitSeconds\":10}");
    JsonNode lease = leased.body().path("items").path(0);
    assertEquals(leasedJob, lease.path("jobId").asText(), leased.text());
    leaseId = lease.get("leaseId").asText();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @TestFactory
  Stream<DynamicNode> everyHostileRequestGetsA4xxJsonErrorAndTheNodeKeepsProcessing() {
    List<BodyEndpoint> endpoints = bodyEndpoints();
    Map<String, List<Shot>> families = new LinkedHashMap<>();
    families.put("bad JSON", badJson(endpoints));
    families.put("huge numbers", hugeNumbers(endpoints));
    families.put("deep nesting", deepNesting(endpoints));
    families.put("wrong types", wrongTypes(endpoints));
    families.put("unknown fields", unknownFields(endpoints));
    families.put("NUL in text", nulInText(endpoints));
    families.put("oversized bodies", oversizedBodies(endpoints));
    families.put("content types", contentTypes(endpoints));
    families.put("bad ids", badIds());
    families.put("bad queries", badQueries());
    families.put("header abuse", headerAbuse());
    families.put("wrong methods", wrongMethods());
    families.put("unknown paths", unknownPaths());
    int count = families.values().stream().mapToInt(List::size).sum();

    Stream<DynamicNode> shots = families.entrySet().stream().map(family -> dynamicContainer(family.getKey(),
        family.getValue().stream().map(shot -> dynamicTest(shot.name(), () -> assertA4xxJsonError(shot)))));
    // Dynamic tests run in order: these come after every hostile request.
    return Stream.concat(shots, Stream.of(
        dynamicTest("at least 300 hostile requests", () -> assertTrue(count >= 300, "only " + count + " hostile requests")),
        dynamicTest("afterwards the node is ready, runs jobs and holds nothing a refused request could have created",
            HostileRequestsTest::theNodeIsReadyStillRunsJobsAndHoldsNothingTheRefusedRequestsCouldHaveCreated)));
  }

  private static void assertA4xxJsonError(Shot shot) throws Exception {
    Answer answer = shot.exchange().send();
    String seen = shot.request() + " answered " + answer.status() + " " + excerpt(answer.text(), 160);
    assertTrue(answer.status() >= 400 && answer.status() <= 499, "not a 4xx: " + seen);
    assertTrue(shot.expected().isEmpty() || shot.expected().contains(answer.status()), "expected " + shot.expected() + ": " + seen);
    assertTrue(answer.contentType().toLowerCase(Locale.ROOT).startsWith("application/json"),
        "content type '" + answer.contentType() + "': " + seen);
    JsonNode body = answer.body();
    assertNotNull(body, "not JSON: " + seen);
    assertTrue(body.path("error").isTextual() && body.path("message").isTextual(), "not the error shape: " + seen);
  }

  private static void theNodeIsReadyStillRunsJobsAndHoldsNothingTheRefusedRequestsCouldHaveCreated() throws Exception {
    assertEquals(200, http.send("GET", "/health/ready", null, null).status(), "the node stays ready");
    Answer created = http.send("POST", "/v1/jobs", key, "{\"type\":\"noop\"}");
    assertEquals(201, created.status(), created.text());
    String id = created.body().get("id").asText();
    http.awaitJson("/v1/jobs/" + id, key, job -> job.path("status").asText().equals("COMPLETED"));

    // An admin key lists every tenant's jobs: once the valid job is listed, a job a refused request had created would be too.
    JsonNode listed = http.awaitJson("/v1/jobs?limit=1000", ADMIN_KEY, page -> page.path("items").findValuesAsText("id").contains(id));
    assertEquals(List.of(id, leasedJob), listed.get("items").findValuesAsText("id"), "no refused request created a job");
    JsonNode leased = http.awaitJson("/v1/jobs/" + leasedJob, key, job -> true);
    assertEquals("RUNNING", leased.get("status").asText(), "no refused heartbeat, completion or failure changed the leased job: " + leased);
    assertEquals(1, leased.get("attempts").asInt(), leased.toString());
    assertTrue(!leased.hasNonNull("lastError") && !leased.hasNonNull("progress"), leased.toString());
    JsonNode keys = http.awaitJson("/v1/admin/keys?tenant=" + KEY_TENANT, ADMIN_KEY, page -> page.has("items"));
    assertEquals(0, keys.get("items").size(), "no refused request issued a key: " + keys);
  }

  @FunctionalInterface
  private interface Exchange {
    Answer send() throws Exception;
  }

  /** One hostile request: what it tries, what it is in a line, the statuses that fit (empty: any 4xx), and how it is sent. */
  private record Shot(String name, String request, Set<Integer> expected, Exchange exchange) {
    /** Sent with {@code java.net.http}. */
    Shot(String name, Request request, Set<Integer> expected) {
      this(name, line(request.method(), request.target()), expected, () -> http.send(request));
    }

    /** Written to a plain socket, for what {@code java.net.http} refuses to send. */
    static Shot raw(String name, Request request, Set<Integer> expected) {
      return new Shot(name, line(request.method(), request.target()), expected, () -> http.sendRaw(request));
    }

    /** Exactly these characters (one byte each) written to a plain socket. */
    static Shot literal(String name, String method, String target, String request, Set<Integer> expected) {
      return new Shot(name, line(method, target), expected, () -> http.sendBytes(request.getBytes(ISO_8859_1)));
    }

    private static String line(String method, String target) {
      return method + " " + excerpt(target, 100);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The endpoints that read a JSON body, and the families built on them.

  private enum Kind { TEXT, INT, LONG, BOOL, TEXTS, INSTANT, BACKOFF, JOBS, ANY }

  /** A body field: its JSON kind, and the value the endpoint's valid body holds (null: left out). */
  private record Field(String name, Kind kind, String valid) {}

  /** An endpoint that reads a JSON body, the key that may call it, its body limit and its fields. */
  private record BodyEndpoint(String name, String path, String apiKey, int limit, List<Field> fields) {
    /** {@code table} has a line a field: its name, its kind, and the raw JSON value of the valid body (if any). */
    static BodyEndpoint of(String name, String path, String apiKey, int limit, String table) {
      List<Field> fields = table.lines().map(line -> line.strip().split("\\s+", 3))
          .map(cells -> new Field(cells[0], Kind.valueOf(cells[1]), cells.length > 2 ? cells[2] : null)).toList();
      return new BodyEndpoint(name, path, apiKey, limit, fields);
    }

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

    /** A JSON body sent to this endpoint, named after the endpoint and {@code what} it tries. */
    Shot shot(String what, String body, Set<Integer> expected) {
      return new Shot(name + ": " + what, post(body), expected);
    }
  }

  private static List<BodyEndpoint> bodyEndpoints() {
    String job = "/v1/jobs/" + leasedJob;
    return List.of(
        BodyEndpoint.of("submit", "/v1/jobs", key, MAX_BODY, """
            type           TEXT    "noop"
            queue          TEXT
            payload        ANY
            priority       INT
            maxAttempts    INT
            timeoutSeconds INT
            backoff        BACKOFF
            runAt          INSTANT
            delaySeconds   LONG
            expiresAt      INSTANT
            ttlSeconds     LONG
            idempotencyKey TEXT
            tags           TEXTS
            """),
        BodyEndpoint.of("batch", "/v1/jobs/batch", key, MAX_BATCH_BODY, """
            jobs JOBS [%s]
            """.formatted(VALID_JOB)),
        BodyEndpoint.of("lease", "/v1/queues/hostile/lease", key, MAX_BODY, """
            workerId    TEXT "w-1"
            max         INT  1
            waitSeconds INT  0
            """),
        BodyEndpoint.of("heartbeat", job + "/heartbeat", key, MAX_BODY, """
            leaseId  TEXT "%s"
            progress ANY  {"percent":5}
            """.formatted(leaseId)),
        BodyEndpoint.of("complete", job + "/complete", key, MAX_BODY, """
            leaseId TEXT "%s"
            result  ANY  {"ok":true}
            """.formatted(leaseId)),
        BodyEndpoint.of("fail", job + "/fail", key, MAX_BODY, """
            leaseId   TEXT "%s"
            error     TEXT "boom"
            retryable BOOL true
            """.formatted(leaseId)),
        BodyEndpoint.of("admin-keys", "/v1/admin/keys", ADMIN_KEY, MAX_BODY, """
            tenant      TEXT  "%s"
            scopes      TEXTS ["read"]
            description TEXT  "d"
            """.formatted(KEY_TENANT)));
  }

  /** Text that is not a JSON object, or not JSON at all, each derived from the endpoint's valid body. */
  private static List<Shot> badJson(List<BodyEndpoint> endpoints) {
    List<Shot> shots = new ArrayList<>();
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
      texts.forEach((description, text) -> shots.add(endpoint.shot(description, text, BAD_REQUEST)));

      Map<String, byte[]> bytes = new LinkedHashMap<>();
      bytes.put("byte order mark", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, valid.getBytes(UTF_8)));
      bytes.put("invalid UTF-8 sequence", insert(valid, firstString, (byte) 0xC3, (byte) 0x28));
      bytes.put("lone 0xFF byte", insert(valid, firstString, (byte) 0xFF));
      bytes.put("overlong UTF-8 encoding", insert(valid, firstString, (byte) 0xC0, (byte) 0xAF));
      bytes.put("UTF-8 encoded surrogate", insert(valid, firstString, (byte) 0xED, (byte) 0xA0, (byte) 0x80));
      bytes.put("UTF-16 body", valid.getBytes(StandardCharsets.UTF_16));
      bytes.forEach((description, body) -> shots.add(new Shot(endpoint.name() + ": " + description, endpoint.post(body), BAD_REQUEST)));
    }
    return shots;
  }

  private static byte[] insert(String text, int at, byte... inserted) {
    return concat(text.substring(0, at).getBytes(UTF_8), inserted, text.substring(at).getBytes(UTF_8));
  }

  /** Numbers too large for their field, out of its range, or too long to read at all. */
  private static List<Shot> hugeNumbers(List<BodyEndpoint> endpoints) {
    BodyEndpoint submit = endpoints.get(0);
    BodyEndpoint lease = endpoints.get(2);
    List<Shot> shots = new ArrayList<>();
    numbers(shots, submit, "priority", "-1", "10");
    numbers(shots, submit, "maxAttempts", "0", "-5", "1001");
    numbers(shots, submit, "timeoutSeconds", "0", "-1", "86401");
    numbers(shots, submit, "delaySeconds", "-1", "31622401");
    numbers(shots, submit, "ttlSeconds", "0", "-1");
    numbers(shots, lease, "max", "0", "-1", "101");
    numbers(shots, lease, "waitSeconds", "-1", "31");
    String backoff = """
        {"initialSeconds":%s,"multiplier":%s,"maxSeconds":%s}""";
    for (String value : List.of("1e999", "-1e999", "9".repeat(400), "1e-999")) {
      Map<String, String> backoffs = new LinkedHashMap<>();
      backoffs.put("initialSeconds", backoff.formatted(value, 2, 5));
      backoffs.put("multiplier", backoff.formatted(1, value, 5));
      backoffs.put("maxSeconds", backoff.formatted(1, 2, value));
      backoffs.forEach((part, json) -> shots.add(submit.shot("backoff." + part + " = " + excerpt(value, 12), submit.with("backoff", json), BAD_REQUEST)));
    }
    for (String field : List.of("runAt", "expiresAt")) {
      for (String value : List.of("\"+1000000000-01-01T00:00:00Z\"", "\"-1000000000-01-01T00:00:00Z\"", "\"+294277-01-01T00:00:00Z\"",
          "\"-4714-01-01T00:00:00Z\"", "1e999", "99999999999999999999", "-99999999999999999999")) {
        shots.add(submit.shot(field + " = " + value, submit.with(field, value), BAD_REQUEST));
      }
    }
    return shots;
  }

  /** Numbers no field takes, and {@code outOfRange} for this one. */
  private static void numbers(List<Shot> shots, BodyEndpoint endpoint, String field, String... outOfRange) {
    List<String> values = new ArrayList<>(List.of("1e999", "-1e999", "9".repeat(400), "-" + "9".repeat(400), "2147483648", "-2147483649",
        "9223372036854775808", "-9223372036854775809", "1.7976931348623157e309"));
    values.addAll(List.of(outOfRange));
    for (String value : values) {
      shots.add(endpoint.shot(field + " = " + excerpt(value, 24), endpoint.with(field, value), BAD_REQUEST));
    }
  }

  /** 10,000 levels of arrays and of objects, closed and unclosed, in a field and as the whole body; and just past the limit. */
  private static List<Shot> deepNesting(List<BodyEndpoint> endpoints) {
    String arrays = "[".repeat(DEEP) + "]".repeat(DEEP);
    String objects = "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP);
    Map<String, String> values = new LinkedHashMap<>();
    values.put(DEEP + " nested arrays", arrays);
    values.put(DEEP + " nested objects", objects);
    values.put(DEEP + " unclosed arrays", "[".repeat(DEEP));
    values.put("66 levels of arrays and objects", "[{\"a\":".repeat(33) + "1" + "}]".repeat(33));
    values.put("66 nested arrays", "[".repeat(66) + "]".repeat(66));
    List<Shot> shots = new ArrayList<>();
    for (BodyEndpoint endpoint : endpoints) {
      String field = endpoint.looseField();
      values.forEach((description, value) -> shots.add(endpoint.shot(field + " holds " + description, endpoint.with(field, value), BAD_REQUEST)));
      shots.add(endpoint.shot("the body is " + DEEP + " nested arrays", arrays, BAD_REQUEST));
      shots.add(endpoint.shot("the body is " + DEEP + " nested objects", objects, BAD_REQUEST));
    }
    return shots;
  }

  private static List<String> wrongValues(Kind kind) {
    return switch (kind) {
      case TEXT -> List.of("12", "1.5", "true", "{}", "[]", "[\"x\"]");
      case INT, LONG -> List.of("\"5\"", "\"five\"", "1.5", "1e2", "true", "{}", "[]", "[1]");
      case BOOL -> List.of("\"true\"", "1", "0", "\"yes\"", "{}", "[]");
      case TEXTS -> List.of("\"read\"", "1", "{}", "[1]", "[true]", "[{}]", "[[]]");
      case INSTANT -> List.of("true", "{}", "[]", "\"tomorrow\"", "\"2030-13-45T00:00:00Z\"", "\"\"", "\"2030-01-01\"");
      case BACKOFF -> List.of("\"fast\"", "1", "[]", "true", """
          {"initialSeconds":"1","multiplier":2,"maxSeconds":5}""");
      case JOBS -> List.of("\"x\"", "{}", "1", "true", "[]", "null");
      case ANY -> List.of();
    };
  }

  /** Every field of every body with values of the wrong JSON type, the rest of the body valid. */
  private static List<Shot> wrongTypes(List<BodyEndpoint> endpoints) {
    List<Shot> shots = new ArrayList<>();
    for (BodyEndpoint endpoint : endpoints) {
      for (Field field : endpoint.fields()) {
        for (String value : wrongValues(field.kind())) {
          shots.add(endpoint.shot(field.name() + " = " + value, endpoint.with(field.name(), value), BAD_REQUEST));
        }
      }
    }
    return shots;
  }

  /** Fields no body has, next to valid ones. */
  private static List<Shot> unknownFields(List<BodyEndpoint> endpoints) {
    List<Shot> shots = new ArrayList<>();
    for (BodyEndpoint endpoint : endpoints) {
      Field first = endpoint.first();
      Map<String, String> unknown = new LinkedHashMap<>();
      unknown.put("surprise", "1");
      unknown.put(first.name().substring(0, 1).toUpperCase(Locale.ROOT) + first.name().substring(1), first.valid());
      unknown.put(first.name() + " ", first.valid());
      unknown.put("__proto__", "{\"admin\":true}");
      unknown.put("", "1");
      unknown.put("n".repeat(5000), "1");
      unknown.forEach((name, value) -> shots.add(endpoint.shot("unknown field '" + excerpt(name, 12) + "'", endpoint.with(name, value), BAD_REQUEST)));
    }
    BodyEndpoint submit = endpoints.get(0);
    shots.add(submit.shot("unknown field inside backoff", submit.with("backoff", """
        {"initialSeconds":1,"multiplier":2,"maxSeconds":5,"jitter":0}"""), BAD_REQUEST));
    return shots;
  }

  /** NUL inside text fields: valid JSON, but no text a database column (or a sane client) holds. */
  private static List<Shot> nulInText(List<BodyEndpoint> endpoints) {
    String text = "\"a\\u0000b\"";
    List<Shot> shots = new ArrayList<>();
    for (BodyEndpoint endpoint : endpoints) {
      for (Field field : endpoint.fields()) {
        if (field.kind() == Kind.TEXT || field.kind() == Kind.TEXTS) {
          String value = field.kind() == Kind.TEXT ? text : "[" + text + "]";
          shots.add(endpoint.shot(field.name() + " = " + value, endpoint.with(field.name(), value), ANY_4XX));
        }
      }
    }
    return shots;
  }

  /** Bodies just over and far over the endpoint's limit, with and without a length, and lengths that lie about it. */
  private static List<Shot> oversizedBodies(List<BodyEndpoint> endpoints) {
    Set<Integer> tooLarge = Set.of(413);
    List<Shot> shots = new ArrayList<>();
    for (BodyEndpoint endpoint : endpoints) {
      String valid = endpoint.validBody();
      String justOver = valid + " ".repeat(endpoint.limit() + 1 - valid.length());
      String farOver = valid + " ".repeat(4 * endpoint.limit());
      byte[] start = (valid + " ".repeat(16 * 1024)).getBytes(UTF_8);
      String name = endpoint.name() + ": ";
      shots.add(endpoint.shot("one byte over the limit", justOver, tooLarge));
      shots.add(endpoint.shot("four times the limit", farOver, tooLarge));
      shots.add(new Shot(name + "chunked, no length, one byte over", endpoint.post(justOver).inChunks(), tooLarge));
      shots.add(new Shot(name + "chunked, no length, four times the limit", endpoint.post(farOver).inChunks(), tooLarge));
      shots.add(new Shot(name + "chunked, no length, bad JSON", endpoint.post(valid.substring(1)).inChunks(), BAD_REQUEST));
      shots.add(Shot.raw(name + "Content-Length claims 1 GiB", endpoint.post(start).header("Content-Length", Long.toString(1L << 30)), tooLarge));
      shots.add(Shot.raw(name + "Content-Length claims 9 MB, over the server's limit", endpoint.post(start).header("Content-Length", "9000000"),
          tooLarge));
      shots.add(Shot.raw(name + "chunked with a malformed chunk size",
          endpoint.post("zz\r\n" + valid + "\r\n0\r\n\r\n").header("Transfer-Encoding", "chunked"), ANY_4XX));
    }
    return shots;
  }

  /** Bodies that are valid JSON, sent as something else. */
  private static List<Shot> contentTypes(List<BodyEndpoint> endpoints) {
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
    List<Shot> shots = new ArrayList<>();
    for (BodyEndpoint endpoint : endpoints) {
      String validText = endpoint.validBody();
      byte[] valid = validText.getBytes(UTF_8);
      Request post = Request.to("POST", endpoint.path(), endpoint.apiKey());
      String name = endpoint.name() + ": ";
      types.forEach(type -> shots.add(new Shot(name + "Content-Type " + type, post.body(valid, type), unsupported)));
      int firstString = validText.indexOf(":\"") + 2;
      String accented = validText.substring(0, firstString) + "caf\u00e9" + validText.substring(firstString);
      charsets.forEach((type, charset) -> shots.add(new Shot(name + "Content-Type " + type + ", body in " + charset,
          post.body(accented.getBytes(charset), type), Set.of(400, 415))));
      shots.add(new Shot(name + "no Content-Type", post.body(valid, null), unsupported));
      shots.add(Shot.raw(name + "empty Content-Type", post.body(valid, null).header("Content-Type", ""), unsupported));
      shots.add(Shot.raw(name + "two Content-Type headers", endpoint.post(valid).header("Content-Type", "text/plain"), Set.of(400, 415)));
    }
    return shots;
  }

  // ---------------------------------------------------------------------------------------------
  // Families on paths, query strings, headers and methods.

  private record IdRoute(String method, String template, String apiKey, String body) {
    Request with(String id) {
      Request request = Request.to(method, template.replace("{id}", id), apiKey);
      return body == null ? request : request.json(body);
    }

    String name(String what) {
      return method + " " + template + ": " + what;
    }
  }

  /** Ids that are no job's (or key's) id: malformed, huge, traversing, NUL, unicode, broken escapes. */
  private static List<Shot> badIds() {
    List<IdRoute> routes = List.of(new IdRoute("GET", "/v1/jobs/{id}", key, null), new IdRoute("DELETE", "/v1/jobs/{id}", key, null),
        new IdRoute("POST", "/v1/jobs/{id}/cancel", key, null), new IdRoute("POST", "/v1/jobs/{id}/retry", key, null),
        new IdRoute("GET", "/v1/jobs/{id}/history", key, null),
        new IdRoute("POST", "/v1/jobs/{id}/heartbeat", key, "{\"leaseId\":\"lease-1\"}"),
        new IdRoute("POST", "/v1/jobs/{id}/complete", key, "{\"leaseId\":\"lease-1\"}"),
        new IdRoute("POST", "/v1/jobs/{id}/fail", key, "{\"leaseId\":\"lease-1\",\"error\":\"boom\"}"),
        new IdRoute("DELETE", "/v1/admin/keys/{id}", ADMIN_KEY, null));
    Set<Integer> notFound = Set.of(404);
    Map<String, Set<Integer>> ids = new LinkedHashMap<>();
    for (String id : List.of("not-a-uuid", "12345", "null", NO_JOB.toUpperCase(Locale.ROOT), NO_JOB.replace("-", ""), NO_JOB + "0",
        "%7B" + NO_JOB + "%7D", "..%2F..%2Fadmin%2Fkeys", "%2e%2e", "%00", NO_JOB.substring(0, 35) + "%00", "%E2%98%83", "%20", "a;b=c",
        "i".repeat(1900))) {
      ids.put(id, notFound);
    }
    ids.put("%C0%AE%C0%AE", ANY_4XX);
    ids.put("i".repeat(10_000), Set.of(400, 414));
    List<Shot> shots = new ArrayList<>();
    for (IdRoute route : routes) {
      ids.forEach((id, expected) -> shots.add(new Shot(route.name("id " + excerpt(id, 40)), route.with(id), expected)));
      shots.add(Shot.raw(route.name("a broken percent escape"), route.with("%ZZ"), BAD_REQUEST));
      shots.add(Shot.raw(route.name("a lone percent sign"), route.with("%"), BAD_REQUEST));
      shots.add(Shot.raw(route.name("raw UTF-8 bytes in the path"), route.with(latin1("\u00e9t\u00e9")), ANY_4XX));
      shots.add(Shot.raw(route.name("a raw NUL byte in the path"), route.with("a\u0000b"), ANY_4XX));
    }
    return shots;
  }

  /** The bytes of {@code text} in UTF-8, as a string of one char per byte (what a raw request writes out). */
  private static String latin1(String text) {
    return new String(text.getBytes(UTF_8), ISO_8859_1);
  }

  /** Listing and key-listing parameters that are garbage, out of range, repeated or huge. */
  private static List<Shot> badQueries() {
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
    List<Shot> shots = new ArrayList<>();
    for (String query : jobs) {
      shots.add(new Shot("list ?" + excerpt(query, 40), Request.to("GET", "/v1/jobs?" + query, key), BAD_REQUEST));
    }
    shots.add(new Shot("a 10,000 digit limit", Request.to("GET", "/v1/jobs?limit=" + "9".repeat(10_000), key), Set.of(400, 414)));
    shots.add(Shot.raw("a broken percent escape", Request.to("GET", "/v1/jobs?%%%", key), BAD_REQUEST));
    shots.add(Shot.raw("raw UTF-8 bytes in the query", Request.to("GET", "/v1/jobs?status=" + latin1("\u00fc"), key), ANY_4XX));
    for (String query : List.of("", "tenant=", "tenant", "tenant=%00", "tenant=BAD!", "tenant=" + "t".repeat(65), "tenant=a&tenant=%00")) {
      shots.add(new Shot("key list ?" + excerpt(query, 30), Request.to("GET", "/v1/admin/keys" + (query.isEmpty() ? "" : "?" + query), ADMIN_KEY),
          BAD_REQUEST));
    }
    return shots;
  }

  /** Keys that are missing, malformed, huge, two at once or with control characters; Idempotency-Key abuse; broken framing. */
  private static List<Shot> headerAbuse() {
    Set<Integer> unauthorized = Set.of(401);
    Request submit = Request.to("POST", "/v1/jobs", null).json(VALID_JOB);
    List<Shot> shots = new ArrayList<>();
    Map<String, String> authorizations = new LinkedHashMap<>();
    authorizations.put("no scheme, just the key", key);
    authorizations.put("no scheme", "abc");
    authorizations.put("scheme only", "Bearer");
    authorizations.put("Basic scheme", "Basic " + Base64.getEncoder().encodeToString(("user:" + key).getBytes(UTF_8)));
    authorizations.put("another scheme", "Token " + key);
    authorizations.put("two words after Bearer", "Bearer " + key + " extra");
    authorizations.put("a 7,000 character key", "Bearer jc_" + "k".repeat(7000));
    authorizations.forEach((description, value) -> shots.add(new Shot("Authorization: " + description, submit.header("Authorization", value),
        unauthorized)));
    shots.add(new Shot("Authorization: a 9,000 character key", submit.header("Authorization", "Bearer " + "k".repeat(9000)), HEADER_TOO_LARGE));
    shots.add(new Shot("X-API-Key: a 9,000 character key", submit.header("X-API-Key", "k".repeat(9000)), HEADER_TOO_LARGE));
    shots.add(new Shot("X-API-Key: empty", submit.header("X-API-Key", ""), unauthorized));
    shots.add(new Shot("X-API-Key: not a key", submit.header("X-API-Key", "not-a-key"), unauthorized));
    shots.add(new Shot("two different valid keys at once", submit.header("Authorization", "Bearer " + key).header("X-API-Key", ADMIN_KEY),
        unauthorized));
    shots.add(new Shot("a valid Bearer key and a bad X-API-Key", submit.header("Authorization", "Bearer " + key).header("X-API-Key", "not-a-key"),
        unauthorized));
    shots.add(new Shot("a bad Bearer key and a valid X-API-Key", submit.header("Authorization", "Bearer not-a-key").header("X-API-Key", key),
        unauthorized));
    shots.add(new Shot("no key at all", submit, unauthorized));
    for (String control : List.of("\u0000", "\u0001", "\u001b", "\u007f", "\u00ff")) {
      String code = String.format("0x%02X", (int) control.charAt(0));
      shots.add(Shot.raw("X-API-Key with " + code + " at the end", submit.header("X-API-Key", key + control), ANY_4XX));
      shots.add(Shot.raw("Authorization with " + code + " before the key", submit.header("Authorization", "Bearer " + control + key), ANY_4XX));
    }
    shots.add(Shot.raw("a folded X-API-Key line", submit.header("X-API-Key", "x\r\n " + key), ANY_4XX));
    shots.add(Shot.raw("a header line without a colon", submit.header("X-API-Key " + key, null), ANY_4XX));
    shots.add(Shot.raw("a space before the colon", submit.header("X-API-Key ", key), ANY_4XX));
    shots.add(Shot.raw("a 300 character header name", submit.header("X-" + "h".repeat(300), "1"), ANY_4XX));
    Request many = submit;
    for (int i = 0; i < 100; i++) {
      many = many.header("X-Filler-" + i, "1");
    }
    shots.add(Shot.raw("100 extra headers", many, ANY_4XX));

    Request authorized = submit.header("Authorization", "Bearer " + key);
    shots.add(new Shot("a 10 KB Idempotency-Key", authorized.header("Idempotency-Key", "i".repeat(10_240)), HEADER_TOO_LARGE));
    shots.add(new Shot("a 300 character Idempotency-Key", authorized.header("Idempotency-Key", "i".repeat(300)), BAD_REQUEST));
    shots.add(new Shot("an Idempotency-Key with a space", authorized.header("Idempotency-Key", "a b"), BAD_REQUEST));
    shots.add(new Shot("an empty Idempotency-Key", authorized.header("Idempotency-Key", ""), BAD_REQUEST));
    shots.add(Shot.raw("a non-ASCII Idempotency-Key", authorized.header("Idempotency-Key", latin1("schl\u00fcssel")), ANY_4XX));
    shots.add(Shot.raw("an Idempotency-Key with 0x01", authorized.header("Idempotency-Key", "k\u0001"), ANY_4XX));
    shots.add(new Shot("an Idempotency-Key that differs from the body's", Request.to("POST", "/v1/jobs", key)
        .json("{\"type\":\"noop\",\"idempotencyKey\":\"a\"}").header("Idempotency-Key", "b"), BAD_REQUEST));

    Request framed = Request.to("POST", "/v1/jobs", key).json(VALID_JOB);
    int length = VALID_JOB.getBytes(UTF_8).length;
    String chunked = Integer.toHexString(length) + "\r\n" + VALID_JOB + "\r\n0\r\n\r\n";
    shots.add(Shot.raw("Transfer-Encoding: gzip", framed.header("Transfer-Encoding", "gzip"), ANY_4XX));
    shots.add(Shot.raw("chunked and a Content-Length", Request.to("POST", "/v1/jobs", key).json(chunked).header("Transfer-Encoding", "chunked")
        .header("Content-Length", Integer.toString(chunked.length())), ANY_4XX));
    for (String value : List.of("abc", "-5", "99999999999999999999999", "1e3", "")) {
      shots.add(Shot.raw("Content-Length: '" + value + "'", framed.header("Content-Length", value), ANY_4XX));
    }
    shots.add(Shot.raw("two different Content-Lengths", framed.header("Content-Length", Integer.toString(length))
        .header("Content-Length", Integer.toString(length - 1)), ANY_4XX));
    shots.add(Shot.raw("two Host headers", framed.header("Host", "evil.example"), ANY_4XX));
    shots.add(Shot.literal("no Host header", "POST", "/v1/jobs", """
        POST /v1/jobs HTTP/1.1\r
        Authorization: Bearer %s\r
        Content-Type: application/json\r
        Content-Length: %d\r
        Connection: close\r
        \r
        %s""".formatted(key, length, VALID_JOB), ANY_4XX));
    for (String version : List.of("HTTP/1.2", "HTTP/2.0", "HTTP/9.9", "HTTX/1.1", "")) {
      shots.add(Shot.literal("version '" + version + "' without a key", "GET", "/v1/jobs",
          "GET /v1/jobs " + version + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", ANY_4XX));
    }
    shots.add(Shot.literal("two spaces in the request line", "GET", "/v1/jobs", "GET  /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        ANY_4XX));
    shots.add(Shot.literal("a garbage request line", "GET", "/v1/jobs", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\r\n\r\n", ANY_4XX));
    return shots;
  }

  /** Every path with every method it does not take, custom methods included. */
  private static List<Shot> wrongMethods() {
    // A path, and the methods it takes.
    String paths = """
        /v1/jobs                         GET POST
        /v1/jobs/batch                   POST
        /v1/jobs/{id}                    GET DELETE
        /v1/jobs/{id}/cancel             POST
        /v1/jobs/{id}/retry              POST
        /v1/jobs/{id}/history            GET
        /v1/jobs/{id}/heartbeat          POST
        /v1/jobs/{id}/complete           POST
        /v1/jobs/{id}/fail               POST
        /v1/stats                        GET
        /v1/queues                       GET
        /v1/workers                      GET
        /v1/queues/hostile/lease         POST
        /v1/admin/keys                   GET POST
        /v1/admin/keys/0000000000000000  DELETE
        /health/live                     GET
        /health/ready                    GET
        """;
    Set<Integer> notAllowed = Set.of(405);
    List<Shot> shots = new ArrayList<>();
    for (String line : paths.lines().toList()) {
      List<String> row = List.of(line.split("\\s+"));
      String template = row.get(0);
      List<String> allowed = row.subList(1, row.size());
      String path = template.replace("{id}", NO_JOB);
      // "batch" is also a (malformed) job id, so methods the batch path does not take find no such job.
      Set<Integer> expected = path.endsWith("/batch") ? Set.of(404, 405) : notAllowed;
      for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
        if (!allowed.contains(method)) {
          Request request = Request.to(method, path, key);
          shots.add(new Shot(method + " " + template, method.equals("GET") || method.equals("DELETE") ? request : request.json("{}"), expected));
        }
      }
      for (String method : List.of("TRACE", "FOO", "get", "M-SEARCH")) {
        // Methods the server does not know are refused by its parser, before any route.
        shots.add(Shot.raw(method + " " + template, Request.to(method, path, key), method.equals("TRACE") ? expected : notAllowed));
      }
    }
    return shots;
  }

  /** Paths that are not part of the API. */
  private static List<Shot> unknownPaths() {
    Set<Integer> expected = Set.of(404, 405);
    List<Shot> shots = new ArrayList<>();
    for (String template : List.of("/", "/v1", "/v1/", "/v2/jobs", "/V1/jobs", "/v1/JOBS", "/v1/jobs/", "/v1/jobs/{id}/explode",
        "/v1/jobs/{id}/cancel/now", "/v1/jobs/{id}/history/x", "/v1/admin", "/v1/admin/keys/a/b", "/v1/queues/hostile", "/v1/queues/hostile/lease/x",
        "/health", "/health/dead", "/metrics/x", "/favicon.ico", "/.env", "/v1/jobs/batch/x", "/v1//jobs", "/v1/jobs%2Fbatch", "/v1/stats/x",
        "/wp-admin/index.php")) {
      String path = template.replace("{id}", NO_JOB);
      shots.add(new Shot("GET " + template, Request.to("GET", path, key), expected));
      shots.add(new Shot("POST " + template, Request.to("POST", path, key).json("{}"), expected));
    }
    return shots;
  }
}
