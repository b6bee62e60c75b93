package io.jobcluster.node.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The payload of {@code http}: {@code {url, method, headers, body, expectStatus}}, validated.
 * {@code body} is the request body as given when a string; an object or array is sent as its JSON
 * text with {@code Content-Type: application/json} unless the headers set one.
 *
 * @param expectStatus the one status that counts as success, or null for any 2xx
 */
record HttpCall(URI url, String method, Map<String, String> headers, String body, Integer expectStatus) {

  static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
  // Framing and routing headers belong to the client; a job setting them would corrupt the request.
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding", "keep-alive");

  HttpCall {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  static HttpCall parse(String json) {
    ObjectNode payload = Payloads.object(json);
    URI url = url(Payloads.requiredText(payload, "url"));
    String method = Payloads.optionalText(payload, "method").orElse("GET").toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw Payloads.invalid("method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD");
    }
    Map<String, String> headers = headers(payload);
    Optional<JsonNode> bodyNode = Payloads.field(payload, "body");
    String body = bodyNode.map(HttpCall::bodyText).orElse(null);
    if (bodyNode.filter(JsonNode::isContainerNode).isPresent()
        && headers.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
      headers.put("Content-Type", "application/json");
    }
    if (body != null && (method.equals("GET") || method.equals("HEAD"))) {
      throw Payloads.invalid("body", "is not allowed with " + method);
    }
    Integer expectStatus = Payloads.optionalLong(payload, "expectStatus", 100, 599).stream()
        .mapToObj(status -> (int) status)
        .findFirst()
        .orElse(null);
    return new HttpCall(url, method, headers, body, expectStatus);
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

  private static URI url(String text) {
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      throw Payloads.invalid("url", "is not a valid URL");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw Payloads.invalid("url", "must be an http or https URL");
    }
    if (url.getHost() == null) {
      throw Payloads.invalid("url", "must name a host");
    }
    try {
      HttpRequest.newBuilder(url);
    } catch (IllegalArgumentException e) {
      throw Payloads.invalid("url", "is not a URL the HTTP client accepts");
    }
    return url;
  }

  private static Map<String, String> headers(ObjectNode payload) {
    JsonNode node = Payloads.field(payload, "headers").orElse(Payloads.newObject());
    if (!node.isObject()) {
      throw Payloads.invalid("headers", "must be an object of strings");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> header : node.properties()) {
      headers.put(header.getKey(), headerValue(header.getKey(), header.getValue()));
    }
    // Checked by building a request once, so a bad name or value fails here, as a payload problem.
    try {
      HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create("http://localhost/"));
      headers.forEach(probe::header);
    } catch (IllegalArgumentException e) {
      throw Payloads.invalid("headers", "holds an invalid header name or value");
    }
    return headers;
  }

  private static String headerValue(String name, JsonNode value) {
    if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      throw Payloads.invalid("headers", "must not set the restricted header '" + name + "'");
    }
    if (!value.isTextual()) {
      throw Payloads.invalid("headers", "must be an object of strings ('" + name + "' is not)");
    }
    return value.textValue();
  }

  /** A string is the body itself; anything else is sent as its JSON text. */
  private static String bodyText(JsonNode node) {
    return node.isTextual() ? node.textValue() : Payloads.toJson(node);
  }
}
