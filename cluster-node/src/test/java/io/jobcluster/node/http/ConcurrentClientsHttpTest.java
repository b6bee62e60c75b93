package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * 100 clients at once, each making 50 mixed requests (submit, get, list, cancel) for one of four
 * tenants, on a node that has just reported ready (no warm-up): every request succeeds. Latencies
 * are logged for the record, never asserted.
 */
class ConcurrentClientsHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final int CLIENTS = 100;
  private static final int REQUESTS = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Call(String kind, int status, long micros, String body) {}

  @Test
  void aHundredClientsMakingFiftyMixedRequestsEachAllSucceed() throws Exception {
    try (JobclusterNode node = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"default:4\"")) {
      List<String> keys = new ArrayList<>();
      for (String tenant : List.of("t1", "t2", "t3", "t4")) {
        keys.add(node.apiKeys().store().issue(tenant, Set.of(Scope.SUBMIT, Scope.READ), "load").toCompletableFuture().get(30, TimeUnit.SECONDS)
            .plaintext());
      }
      String base = "http://127.0.0.1:" + node.httpAddress().getPort();
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      List<Call> calls = Collections.synchronizedList(new ArrayList<>());

      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        clients.add(runClient(client, base, keys.get(c % keys.size()), c, calls));
      }
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);

      assertEquals(CLIENTS * REQUESTS, calls.size());
      for (Call call : calls) {
        assertTrue(call.status() == 200 || call.status() == 201, call.kind() + " answered " + call.status() + ": " + call.body());
      }
      Map<String, List<Long>> byKind = new ConcurrentHashMap<>();
      calls.forEach(call -> byKind.computeIfAbsent(call.kind(), kind -> Collections.synchronizedList(new ArrayList<>())).add(call.micros()));
      byKind.forEach((kind, micros) -> {
        List<Long> sorted = micros.stream().sorted().toList();
        LoggerFactory.getLogger(ConcurrentClientsHttpTest.class).info("{} requests={} p50={} ms p99={} ms", kind, sorted.size(),
            sorted.get(sorted.size() / 2) / 1000.0, sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1000.0);
      });
    }
  }

  /** One client, one request at a time: submit, read it, list, submit a scheduled job, cancel that one; ten rounds. */
  private static CompletableFuture<Void> runClient(HttpClient client, String base, String key, int clientNo, List<Call> calls) {
    CompletableFuture<String> chain = CompletableFuture.completedFuture(null);
    for (int i = 0; i < REQUESTS; i++) {
      int step = i;
      chain = chain.thenCompose(lastId -> {
        switch (step % 5) {
          case 0:
            return call(client, calls, "submit", post(base + "/v1/jobs", key, "{\"type\":\"noop\",\"payload\":{\"client\":" + clientNo + "}}"))
                .thenApply(ConcurrentClientsHttpTest::id);
          case 1:
            return call(client, calls, "get", get(base + "/v1/jobs/" + lastId, key)).thenApply(body -> lastId);
          case 2:
            return call(client, calls, "list", get(base + "/v1/jobs?limit=20", key)).thenApply(body -> lastId);
          case 3:
            return call(client, calls, "submit", post(base + "/v1/jobs", key, "{\"type\":\"noop\",\"delaySeconds\":3600}"))
                .thenApply(ConcurrentClientsHttpTest::id);
          default:
            return call(client, calls, "cancel", post(base + "/v1/jobs/" + lastId + "/cancel", key, "")).thenApply(body -> lastId);
        }
      });
    }
    return chain.thenApply(last -> null);
  }

  private static HttpRequest post(String url, String key, String body) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static HttpRequest get(String url, String key) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key).GET().build();
  }

  private static CompletableFuture<String> call(HttpClient client, List<Call> calls, String kind, HttpRequest request) {
    long started = System.nanoTime();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      calls.add(new Call(kind, response.statusCode(), (System.nanoTime() - started) / 1000, response.body()));
      return response.body();
    });
  }

  private static String id(String body) {
    try {
      return JSON.readTree(body).path("id").asText();
    } catch (Exception e) {
      return "unreadable";
    }
  }
}
