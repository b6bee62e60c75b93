package io.jobcluster.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a node's API, enough for the load generator: it accepts submissions (single and
 * batch), answers get, list and cancel, and runs an {@code http} job at once by calling its url.
 * {@link #refuseNextBatchItems(int)} makes it refuse batch items with 429 as an overloaded tenant would.
 */
final class StandInApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final HttpClient caller = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicInteger submitted = new AtomicInteger();
  private final AtomicInteger toRefuse = new AtomicInteger();

  StandInApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int submitted() {
    return submitted.get();
  }

  void refuseNextBatchItems(int n) {
    toRefuse.set(n);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    JsonNode body = method.equals("POST") ? JSON.readTree(exchange.getRequestBody().readAllBytes()) : null;
    if (path.equals("/v1/jobs") && method.equals("POST")) {
      answer(exchange, 201, accept(body));
    } else if (path.equals("/v1/jobs/batch")) {
      StringBuilder items = new StringBuilder("{\"items\":[");
      for (int i = 0; i < body.path("jobs").size(); i++) {
        items.append(i == 0 ? "" : ",");
        if (toRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          items.append("{\"index\":").append(i).append(",\"status\":429,\"error\":{\"error\":\"rate_limited\",\"message\":\"later\"}}");
        } else {
          items.append("{\"index\":").append(i).append(",\"status\":201,\"job\":").append(accept(body.path("jobs").get(i))).append('}');
        }
      }
      answer(exchange, 200, items.append("]}").toString());
    } else if (path.equals("/v1/jobs") && method.equals("GET")) {
      answer(exchange, 200, "{\"items\":[],\"nextCursor\":null}");
    } else if (path.endsWith("/cancel")) {
      answer(exchange, 200, job(path.split("/")[3], "noop", "CANCELLED"));
    } else if (path.startsWith("/v1/jobs/")) {
      answer(exchange, 200, job(path.substring("/v1/jobs/".length()), "noop", "SCHEDULED"));
    } else {
      answer(exchange, 404, "{\"error\":\"not_found\",\"message\":\"" + path + "\"}");
    }
  }

  /** Takes one job; an {@code http} job runs at once: its url is called. */
  private String accept(JsonNode request) {
    submitted.incrementAndGet();
    String id = UUID.randomUUID().toString();
    if (request.path("type").asText().equals("http")) {
      caller.sendAsync(HttpRequest.newBuilder(URI.create(request.path("payload").path("url").asText()))
          .header("X-Jobcluster-Job-Id", id).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }
    return job(id, request.path("type").asText(), "PENDING");
  }

  private static String job(String id, String type, String status) {
    return "{\"id\":\"" + id + "\",\"queue\":\"default\",\"type\":\"" + type + "\",\"status\":\"" + status + "\",\"priority\":5,"
        + "\"attempts\":0,\"maxAttempts\":3,\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\",\"tags\":[]}";
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
