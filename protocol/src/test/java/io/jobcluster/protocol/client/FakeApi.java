package io.jobcluster.protocol.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP server on 127.0.0.1 standing in for a node: answers what the test scripted, in order,
 * and records each request it got.
 */
final class FakeApi implements AutoCloseable {

  /** A request as the server saw it. */
  record Seen(String method, String pathAndQuery, Map<String, List<String>> headers, String body) {
    /** The first value of header {@code name}, looked up regardless of case; null if absent. */
    String header(String name) {
      return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
    }
  }

  /** A scripted answer; {@code delay} makes it slow, as a long poll or an overloaded node would be. */
  record Answer(int status, String body, Map<String, String> headers, Duration delay) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Deque<Answer> answers = new ArrayDeque<>();
  private final Deque<Seen> seen = new ArrayDeque<>();

  FakeApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** A client of this server with API key {@code key}. */
  JobclusterClient client(String key) {
    return JobclusterClient.builder().baseUri(uri()).apiKey(key).requestTimeout(Duration.ofSeconds(10)).build();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  FakeApi answer(int status, String body, String... headers) {
    return answerAfter(Duration.ZERO, status, body, headers);
  }

  synchronized FakeApi answerAfter(Duration delay, int status, String body, String... headers) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      map.put(headers[i], headers[i + 1]);
    }
    answers.add(new Answer(status, body, map, delay));
    return this;
  }

  synchronized Seen last() {
    return seen.getLast();
  }

  synchronized int requests() {
    return seen.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    Answer answer;
    synchronized (this) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
          Map.copyOf(exchange.getRequestHeaders()), body));
      answer = answers.isEmpty() ? new Answer(500, "{\"error\":\"unscripted\",\"message\":\"no answer scripted\"}", Map.of(), Duration.ZERO)
          : answers.removeFirst();
    }
    if (!answer.delay().isZero()) {
      CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(answer.delay().toMillis(), TimeUnit.MILLISECONDS)).join();
    }
    answer.headers().forEach(exchange.getResponseHeaders()::add);
    if (answer.body() == null) {
      exchange.sendResponseHeaders(answer.status(), -1);
    } else {
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      if (!answer.headers().containsKey("Content-Type")) {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
      }
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
