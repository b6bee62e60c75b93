package io.jobcluster.node.worker.handler;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One outbound call of {@code http}, as its {@link HttpPayload} describes it.
 *
 * @param body the request body, or null for none
 * @param expectStatus the one status that counts as success, or null for any 2xx
 */
record HttpCall(URI url, String method, Map<String, String> headers, String body, Integer expectStatus) {

  HttpCall {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  static HttpCall parse(String json) {
    return Payloads.read(json, HttpPayload.class).call();
  }

  /**
   * The request to send; {@code timeout} bounds the wait for the response headers. {@code identity}
   * headers replace payload headers of the same name (case-insensitively), so a job cannot forge them.
   */
  HttpRequest toRequest(Duration timeout, Map<String, String> identity) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(timeout);
    headers.forEach(builder::header);
    identity.forEach(builder::setHeader);
    HttpRequest.BodyPublisher publisher = body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body);
    return builder.method(method, publisher).build();
  }

  /** Host and port only: URLs may carry credentials or tokens in user info, path or query. */
  String target() {
    return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
  }
}
