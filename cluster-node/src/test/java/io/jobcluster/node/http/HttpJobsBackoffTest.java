package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.http.HttpTestClient.Answer;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code http} jobs through a real node backing off their target: a {@code 429} with {@code
 * Retry-After} sets the job's next attempt time in its view (not the job's one-second backoff), and
 * the next call comes no sooner; a host that keeps failing opens its breaker, and jobs to it are
 * retried after the reset without calling it meanwhile. The targets listen on 127.0.0.1, which the
 * node may call.
 */
class HttpJobsBackoffTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String ADMIN_KEY = "admin-key-for-tests-0123456789abcdef";
  private static final int RETRY_AFTER_SECONDS = 3;
  private static final int MAX_FAILURES = 2;
  private static final int RESET_SECONDS = 5;

  private static JobclusterNode node;
  private static HttpTestClient http;
  private static ExecutorService serverThreads;
  private static HttpServer target;
  private static String acme;
  // When the target received each request.
  private static final List<Instant> calls = new CopyOnWriteArrayList<>();
  private static HttpServer failing;
  private static final List<Instant> failingCalls = new CopyOnWriteArrayList<>();
  private static final AtomicInteger failingStatus = new AtomicInteger(503);

  @BeforeAll
  static void start() throws Exception {
    serverThreads = Executors.newCachedThreadPool();
    target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    target.setExecutor(serverThreads);
    target.createContext("/", HttpJobsBackoffTest::throttleOnce);
    target.start();
    node = TestNodes.start(POSTGRES.settings(), """
        jobcluster.admin-key = "%s"
        jobcluster.worker-queues = "default:2"
        jobcluster.http-jobs.allowed-hosts = ["127.0.0.1"]
        jobcluster.http-jobs.breaker-max-failures = %d
        jobcluster.http-jobs.breaker-reset-timeout = %ds
        """.formatted(ADMIN_KEY, MAX_FAILURES, RESET_SECONDS));
    failing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    failing.setExecutor(serverThreads);
    failing.createContext("/", HttpJobsBackoffTest::failWhileTold);
    failing.start();
    http = new HttpTestClient(node);
    acme = http.issueKey("acme", Set.of(Scope.SUBMIT, Scope.READ));
  }

  @AfterAll
  static void stop() {
    node.close();
    target.stop(0);
    failing.stop(0);
    serverThreads.shutdownNow();
  }

  @Test
  void aRetryAfterAnswerSetsTheJobsNextAttemptTime() throws Exception {
    String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/throttled";
    Answer created = http.send("POST", "/v1/jobs", acme, """
        {"type": "http", "maxAttempts": 3, "backoff": {"initialSeconds": 1, "multiplier": 1, "maxSeconds": 1},
         "payload": {"url": "%s"}}""".formatted(url));
    assertEquals(201, created.status(), created.text());
    String id = created.body().get("id").asText();

    JsonNode retrying = http.awaitJson("/v1/jobs/" + id, acme, job -> job.get("status").asText().equals("RETRYING"));
    Instant firstCall = calls.get(0);
    Instant runAt = Instant.parse(retrying.get("runAt").asText());
    assertTrue(retrying.get("lastError").asText().startsWith("status 429"), retrying.toString());
    assertFalse(runAt.isBefore(firstCall.plusSeconds(RETRY_AFTER_SECONDS)),
        "next attempt " + runAt + " not before the server's Retry-After from " + firstCall);

    JsonNode done = http.awaitJson("/v1/jobs/" + id, acme, job -> job.get("status").asText().equals("COMPLETED"));
    assertEquals(2, done.get("attempts").asInt());
    assertEquals(2, calls.size());
    assertFalse(calls.get(1).isBefore(runAt), "the second call " + calls.get(1) + " came no sooner than " + runAt);
    assertTrue(Duration.between(calls.get(0), calls.get(1)).toMillis() >= (RETRY_AFTER_SECONDS - 1) * 1000L,
        "the calls were " + Duration.between(calls.get(0), calls.get(1)) + " apart");
  }

  @Test
  void aHostThatKeepsFailingIsNotCalledWhileItsBreakerIsOpenAndItsJobsRunAfterTheReset() throws Exception {
    String url = "http://127.0.0.1:" + failing.getAddress().getPort() + "/down";
    String job = """
        {"type": "http", "maxAttempts": 10, "backoff": {"initialSeconds": 0.2, "multiplier": 1, "maxSeconds": 0.2},
         "payload": {"url": "%s"}}""".formatted(url);
    String first = http.send("POST", "/v1/jobs", acme, job).body().get("id").asText();

    JsonNode shortCircuited = http.awaitJson("/v1/jobs/" + first, acme, view -> isShortCircuited(view));
    assertEquals(MAX_FAILURES, failingCalls.size(), "no call once the breaker opened");
    Instant opened = failingCalls.get(MAX_FAILURES - 1);
    Instant runAt = Instant.parse(shortCircuited.get("runAt").asText());
    assertFalse(runAt.isBefore(opened.plusSeconds(RESET_SECONDS).minusMillis(100)),
        "retried at " + runAt + ", not before the breaker's reset after " + opened);
    String second = http.send("POST", "/v1/jobs", acme, job).body().get("id").asText();
    http.awaitJson("/v1/jobs/" + second, acme, view -> isShortCircuited(view));
    assertEquals(MAX_FAILURES, failingCalls.size(), "another job to the host did not reach it either");

    failingStatus.set(200);
    for (String id : List.of(first, second)) {
      http.awaitJson("/v1/jobs/" + id, acme, view -> view.get("status").asText().equals("COMPLETED"));
    }
    assertEquals(MAX_FAILURES + 2, failingCalls.size());
    assertFalse(failingCalls.get(MAX_FAILURES).isBefore(opened.plusSeconds(RESET_SECONDS).minusMillis(100)),
        "the trial call " + failingCalls.get(MAX_FAILURES) + " came after the reset");
  }

  private static boolean isShortCircuited(JsonNode view) {
    return view.get("status").asText().equals("RETRYING") && view.path("lastError").asText().contains("circuit breaker");
  }

  /** Answers {@code failingStatus}. */
  private static void failWhileTold(HttpExchange exchange) throws IOException {
    failingCalls.add(Instant.now());
    int status = failingStatus.get();
    byte[] body = ("answered " + status).getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The first request answers 429 with Retry-After; later ones 200. */
  private static void throttleOnce(HttpExchange exchange) throws IOException {
    calls.add(Instant.now());
    int status = 200;
    if (calls.size() == 1) {
      status = 429;
      exchange.getResponseHeaders().set("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    }
    byte[] body = ("answered " + status).getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
