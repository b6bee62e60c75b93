package io.jobcluster.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jobcluster.node.webhook.WebhookSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The receiving end of completion webhooks, inside the test JVM on 127.0.0.1: it checks each POST's
 * signature against the tenant's secret, answers 204 to a good one and 401 to a bad one, and counts
 * the deliveries per job id, so at-least-once delivery is checked from outside the cluster.
 */
final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final String secret;
  private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();

  private WebhookReceiver(String secret) {
    this.secret = secret;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("the webhook receiver could not listen", e);
    }
    server.createContext("/", this::receive);
    server.setExecutor(threads);
    server.start();
  }

  /** A receiver that accepts POSTs signed with {@code secret}. */
  static WebhookReceiver start(String secret) {
    return new WebhookReceiver(secret);
  }

  /** The URL to give as a webhook. */
  String url() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + "/hook";
  }

  /** How many good deliveries arrived for {@code jobId}. */
  int deliveriesOf(String jobId) {
    return deliveries.getOrDefault(jobId, 0);
  }

  /** The requests refused for a missing or wrong signature, described. */
  List<String> refused() {
    return List.copyOf(refused);
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
      if (!signedWithSecret(signature, body)) {
        refused.add("signature " + signature + " for " + body);
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      JsonNode job = JSON.readTree(body);
      deliveries.merge(job.path("id").asText(), 1, Integer::sum);
      exchange.sendResponseHeaders(204, -1);
    }
  }

  /** Whether {@code header} ({@code t=<unix seconds>,v1=<hex>}) is the signature of {@code body} at its own timestamp. */
  private boolean signedWithSecret(String header, String body) {
    if (header == null || !header.startsWith("t=") || !header.contains(",")) {
      return false;
    }
    try {
      long timestamp = Long.parseLong(header.substring(2, header.indexOf(',')));
      return WebhookSignature.header(secret, timestamp, body).equals(header);
    } catch (NumberFormatException malformed) {
      return false;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
