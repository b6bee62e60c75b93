package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.auth.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** A real HTTP client for tests against one node: sends JSON with an API key, and waits for answers. */
final class HttpTestClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final JobclusterNode node;
  private final String base;

  HttpTestClient(JobclusterNode node) {
    this.node = node;
    this.base = "http://127.0.0.1:" + node.httpAddress().getPort();
  }

  /** An answer: status, body as JSON (null when empty or not JSON), and the raw response. */
  record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  String issueKey(String tenant, Set<Scope> scopes) throws Exception {
    return node.apiKeys().store().issue(tenant, scopes, "test").toCompletableFuture().get(30, TimeUnit.SECONDS).plaintext();
  }

  /** Sends {@code body} (JSON, when not null) with the key as a bearer token; {@code headers} are name, value pairs. */
  Answer send(String method, String path, String key, String body, String... headers) throws Exception {
    return send(method, path, key, body, Duration.ofSeconds(30), headers);
  }

  Answer send(String method, String path, String key, String body, Duration timeout, String... headers) throws Exception {
    return sendAsync(method, path, key, body, timeout, headers).get(timeout.toSeconds() + 5, TimeUnit.SECONDS);
  }

  CompletableFuture<Answer> sendAsync(String method, String path, String key, String body, Duration timeout, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (body != null && !List.of(headers).contains("Content-Type")) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      JsonNode json;
      try {
        json = response.body().isEmpty() ? null : JSON.readTree(response.body());
      } catch (Exception notJson) {
        json = null;
      }
      return new Answer(response.statusCode(), json, response);
    });
  }

  /** GETs {@code path} every 100 ms until {@code condition} holds, for up to a minute. */
  Answer await(String path, String key, Predicate<Answer> condition) {
    AtomicReference<Answer> reached = new AtomicReference<>();
    Awaitility.await("the expected answer for " + path).atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Answer answer = send("GET", path, key, null);
      assertTrue(condition.test(answer), () -> "never reached the expected answer for " + path + "; last: " + answer.status() + " "
          + (answer.body() == null ? answer.raw().body() : answer.body()));
      reached.set(answer);
    });
    return reached.get();
  }

  static void assertError(Answer answer, int status, String code) {
    assertEquals(status, answer.status(), answer.raw().body());
    assertEquals(code, answer.body().get("error").asText(), answer.raw().body());
    assertTrue(answer.body().hasNonNull("message"));
    assertEquals("application/json", answer.header("Content-Type"));
  }
}
