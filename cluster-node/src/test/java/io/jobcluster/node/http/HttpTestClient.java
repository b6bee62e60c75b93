package io.jobcluster.node.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.auth.Scope;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Real HTTP against one node, for tests that need the raw exchange (exact statuses, headers and
 * JSON errors, malformed requests): requests with an API key through {@code java.net.http}, bytes
 * over a plain socket for what {@code java.net.http} refuses to send (restricted headers, control
 * characters, broken framing, raw bytes in the target), and waiting for an expected answer.
 */
final class HttpTestClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  // The node speaks HTTP/1.1 only; without this the JDK client offers each new connection an h2c upgrade.
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final JobclusterNode node;
  private final int port;

  HttpTestClient(JobclusterNode node) {
    this(node, node.httpAddress().getPort());
  }

  private HttpTestClient(JobclusterNode node, int port) {
    this.node = node;
    this.port = port;
  }

  /** HTTP to the node's management port (metrics, health) instead of its API. */
  static HttpTestClient management(JobclusterNode node) {
    return new HttpTestClient(node, node.managementAddress().getPort());
  }

  /** An answer as received: the protocol of its status line, status, headers and body. */
  record Answer(String protocol, int status, HttpHeaders headers, byte[] bytes) {
    String text() {
      return new String(bytes, UTF_8);
    }

    /** The body as JSON; null when it is empty or not JSON. */
    JsonNode body() {
      try {
        return bytes.length == 0 ? null : JSON.readTree(bytes);
      } catch (IOException notJson) {
        return null;
      }
    }

    /** The header's first value, or null. */
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The Content-Type, or "" when there is none. */
    String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }
  }

  /**
   * A request: method, target (path and query as sent), the key sent as a Bearer token (null: none),
   * extra headers as name/value pairs (on a socket, a null value writes the name as the whole line),
   * and a body with its Content-Type (null: none), sent with a length or chunked.
   */
  record Request(String method, String target, String apiKey, List<String> headers, byte[] body, String contentType, boolean chunked) {
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
  }

  String issueKey(String tenant, Set<Scope> scopes) throws Exception {
    return node.apiKeys().store().issue(tenant, scopes, "test").toCompletableFuture().get(30, TimeUnit.SECONDS).plaintext();
  }

  /**
   * Sends {@code body} (JSON unless {@code headers} name a Content-Type; null for none) with the key
   * as a bearer token; {@code headers} are name, value pairs.
   */
  Answer send(String method, String path, String key, String body, String... headers) throws Exception {
    return send(method, path, key, body, TIMEOUT, headers);
  }

  Answer send(String method, String path, String key, String body, Duration timeout, String... headers) throws Exception {
    return sendAsync(method, path, key, body, timeout, headers).get(timeout.toSeconds() + 5, TimeUnit.SECONDS);
  }

  CompletableFuture<Answer> sendAsync(String method, String path, String key, String body, Duration timeout, String... headers) {
    Request request = Request.to(method, path, key);
    for (int i = 0; i < headers.length; i += 2) {
      request = request.header(headers[i], headers[i + 1]);
    }
    if (body != null) {
      request = request.hasHeader("Content-Type") ? request.body(body.getBytes(UTF_8), null) : request.json(body);
    }
    return sendAsync(request, timeout);
  }

  /** Sends {@code request} with {@code java.net.http}. */
  Answer send(Request request) throws Exception {
    return sendAsync(request, TIMEOUT).get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
  }

  CompletableFuture<Answer> sendAsync(Request request, Duration timeout) {
    HttpRequest.BodyPublisher body;
    if (request.body() == null) {
      body = HttpRequest.BodyPublishers.noBody();
    } else if (request.chunked()) {
      body = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(request.body()));
    } else {
      body = HttpRequest.BodyPublishers.ofByteArray(request.body());
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.target())).timeout(timeout)
        .method(request.method(), body);
    if (request.apiKey() != null) {
      builder.header("Authorization", "Bearer " + request.apiKey());
    }
    if (request.contentType() != null) {
      builder.header("Content-Type", request.contentType());
    }
    for (int i = 0; i < request.headers().size(); i += 2) {
      builder.header(request.headers().get(i), request.headers().get(i + 1));
    }
    return CLIENT.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> new Answer(
        response.version() == HttpClient.Version.HTTP_1_1 ? "HTTP/1.1" : "HTTP/2", response.statusCode(), response.headers(), response.body()));
  }

  /** Writes {@code request} to a fresh connection as a client would, with {@code Connection: close}, and reads the answer. */
  Answer sendRaw(Request request) throws IOException {
    return sendBytes(wire(request));
  }

  private byte[] wire(Request request) {
    StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
    if (request.apiKey() != null) {
      head.append("Authorization: Bearer ").append(request.apiKey()).append("\r\n");
    }
    if (request.contentType() != null) {
      head.append("Content-Type: ").append(request.contentType()).append("\r\n");
    }
    for (int i = 0; i < request.headers().size(); i += 2) {
      String value = request.headers().get(i + 1);
      head.append(request.headers().get(i)).append(value == null ? "" : ": " + value).append("\r\n");
    }
    byte[] content = request.body() == null ? new byte[0] : request.body();
    if (request.chunked()) {
      head.append("Transfer-Encoding: chunked\r\n");
      content = concat((Integer.toHexString(content.length) + "\r\n").getBytes(ISO_8859_1), content, "\r\n0\r\n\r\n".getBytes(ISO_8859_1));
    } else if (request.body() != null && !request.hasHeader("Content-Length") && !request.hasHeader("Transfer-Encoding")) {
      head.append("Content-Length: ").append(content.length).append("\r\n");
    }
    return concat(head.append("\r\n").toString().getBytes(ISO_8859_1), content);
  }

  /** Writes exactly {@code request} to a fresh connection and reads the answer (interim 1xx answers skipped). */
  Answer sendBytes(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
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

  /** GETs {@code path} every 100 ms until {@code condition} holds, for up to a minute. */
  Answer await(String path, String key, Predicate<Answer> condition) {
    AtomicReference<Answer> reached = new AtomicReference<>();
    Awaitility.await("the expected answer for " + path).atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Answer answer = send("GET", path, key, null);
      assertTrue(condition.test(answer), () -> "never reached the expected answer for " + path + "; last: " + answer.status() + " "
          + answer.text());
      reached.set(answer);
    });
    return reached.get();
  }

  /** As {@link #await}, for a 200 answer whose JSON body meets {@code condition}; returns that body. */
  JsonNode awaitJson(String path, String key, Predicate<JsonNode> condition) {
    return await(path, key, answer -> answer.status() == 200 && answer.body() != null && condition.test(answer.body())).body();
  }

  /** How many API keys the node looked up in its database, from {@code /metrics} on its management port. */
  long keyLookups() throws Exception {
    String metrics = management(node).send("GET", "/metrics", null, null).text();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jobcluster_api_key_lookups_total")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no jobcluster_api_key_lookups_total in /metrics");
  }

  static void assertError(Answer answer, int status, String code) {
    assertEquals(status, answer.status(), answer.text());
    assertEquals(code, answer.body().get("error").asText(), answer.text());
    assertTrue(answer.body().hasNonNull("message"));
    assertEquals("application/json", answer.header("Content-Type"));
  }

  /** {@code text} on one line, cut after {@code max} characters. */
  static String excerpt(String text, int max) {
    String flat = text.replace("\r", "\\r").replace("\n", "\\n");
    return flat.length() <= max ? flat : flat.substring(0, max) + "...(" + flat.length() + " chars)";
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    Arrays.stream(parts).forEach(all::writeBytes);
    return all.toByteArray();
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
      String[] statusLine = lines[0].split(" ");
      int status = Integer.parseInt(statusLine[1]);
      if (status >= 100 && status < 200) {
        start = headEnd + 4;
        continue;
      }
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.computeIfAbsent(lines[i].substring(0, colon).trim(), name -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
        }
      }
      HttpHeaders parsed = HttpHeaders.of(headers, (name, value) -> true);
      int length = parsed.firstValue("Content-Length").map(Integer::parseInt).orElse(-1);
      int bodyStart = headEnd + 4;
      if (length >= 0 && bytes.length - bodyStart >= length) {
        return new Answer(statusLine[0], status, parsed, Arrays.copyOfRange(bytes, bodyStart, bodyStart + length));
      }
      return ended ? new Answer(statusLine[0], status, parsed, Arrays.copyOfRange(bytes, bodyStart, bytes.length)) : null;
    }
  }
}
