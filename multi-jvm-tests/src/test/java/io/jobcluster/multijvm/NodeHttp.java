package io.jobcluster.multijvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** HTTP to one node: the health probes the harness waits on, and plain requests for tests. */
public record NodeHttp(URI baseUri) {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  // HTTP/1.1 only: the JDK client would otherwise try an h2c upgrade the node need not speak.
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1))
      .build();

  /** {@code GET /health/ready}; {@link ReadinessProbe#UNREACHABLE} when nothing answers. */
  public ReadinessProbe readiness() {
    return probe("/health/ready").map(r -> new ReadinessProbe(r.statusCode(), r.body())).orElse(ReadinessProbe.UNREACHABLE);
  }

  /** {@code GET /health/live} answers 200. */
  public boolean isLive() {
    return probe("/health/live").map(r -> r.statusCode() == 200).orElse(false);
  }

  public HttpResponse<String> get(String path) {
    try {
      return send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).GET().build());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + uri(path) + " failed", e);
    }
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + request.uri(), e);
    }
  }

  public URI uri(String path) {
    return baseUri.resolve(path);
  }

  /** A probe that fails (refused, reset, timed out) is simply no answer yet. */
  private Optional<HttpResponse<String>> probe(String path) {
    try {
      return Optional.of(send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).GET().build()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
