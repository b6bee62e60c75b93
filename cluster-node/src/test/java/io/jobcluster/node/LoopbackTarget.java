package io.jobcluster.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;

/**
 * A target for {@code http} jobs on one loopback address (127.0.0.1, 127.0.0.2, ...): answers
 * "reached &lt;path&gt;", or redirects {@code /to/<status>?<location>}; remembers every request.
 */
public final class LoopbackTarget implements AutoCloseable {

  /** One request as the target saw it; header names lower case, first values. */
  public record Received(String method, String path, Map<String, String> headers, String body) {}

  private final HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

  /** Listens on a free port of {@code address}, a loopback address. */
  public LoopbackTarget(String address, Executor threads) throws IOException {
    InetAddress bound = InetAddress.getByName(address);
    if (!bound.isLoopbackAddress()) {
      throw new IllegalArgumentException("test targets are loopback only: " + address);
    }
    server = HttpServer.create(new InetSocketAddress(bound, 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::serve);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://address:port}. */
  public String base() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
  }

  /** The requests received so far and not yet taken, oldest first. */
  public BlockingQueue<Received> received() {
    return received;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void serve(HttpExchange exchange) throws IOException {
    Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
        .collect(Collectors.toMap(header -> header.getKey().toLowerCase(Locale.ROOT), header -> header.getValue().get(0)));
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getPath();
    received.add(new Received(exchange.getRequestMethod(), path, headers, body));
    int status = 200;
    if (path.startsWith("/to/")) {
      exchange.getResponseHeaders().set("Location", exchange.getRequestURI().getQuery());
      status = Integer.parseInt(path.substring("/to/".length()));
    }
    byte[] answer = ("reached " + path).getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }
}
