package io.jobcluster.node.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.node.json.NodeJson;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The payload of {@code http}: {@code {url, method, headers, body, expectStatus}}, only {@code url}
 * required; validated here, sent as the {@link HttpCall} it describes.
 *
 * @param method GET when absent, upper case
 * @param headers empty when absent
 * @param body any JSON value, or null when absent (JSON null included)
 */
record HttpPayload(String url, String method, Map<String, String> headers, JsonNode body, BigInteger expectStatus) {

  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
  // Framing and routing headers belong to the client; a job setting them would corrupt the request.
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding", "keep-alive");

  HttpPayload {
    checkUrl(Payloads.required("url", url));
    method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw Payloads.invalid("method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD");
    }
    headers = headers == null ? Map.of() : checkHeaders(headers);
    body = body == null || body.isNull() ? null : body;
    if (body != null && (method.equals("GET") || method.equals("HEAD"))) {
      throw Payloads.invalid("body", "is not allowed with " + method);
    }
    if (expectStatus != null) {
      Payloads.within("expectStatus", expectStatus, 100, 599);
    }
  }

  /**
   * The call to make. A string body is sent as given; any other JSON value as its JSON text, with
   * {@code Content-Type: application/json} for an object or array unless the headers set one.
   */
  HttpCall call() {
    Map<String, String> sent = new LinkedHashMap<>(headers);
    if (body != null && body.isContainerNode()
        && sent.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
      sent.put("Content-Type", "application/json");
    }
    String text = body == null ? null : body.isTextual() ? body.textValue() : NodeJson.write(body);
    return new HttpCall(URI.create(url), method, sent, text, expectStatus == null ? null : expectStatus.intValueExact());
  }

  private static void checkUrl(String text) {
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
  }

  private static Map<String, String> checkHeaders(Map<String, String> headers) {
    headers.forEach(HttpPayload::checkHeader);
    // Checked by building a request once, so a bad name or value fails here, as a payload problem.
    try {
      HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create("http://localhost/"));
      headers.forEach(probe::header);
    } catch (IllegalArgumentException e) {
      throw Payloads.invalid("headers", "holds an invalid header name or value");
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  private static void checkHeader(String name, String value) {
    if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      throw Payloads.invalid("headers", "must not set the restricted header '" + name + "'");
    }
    if (value == null) {
      throw Payloads.invalid("headers", "must be an object of strings ('" + name + "' is not)");
    }
  }
}
