package io.jobcluster.node.worker.handler;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * One outbound call of {@code http}, as its {@link HttpPayload} describes it, or a hop of it after a
 * redirect.
 *
 * @param body the request body, or null for none
 * @param expectStatus the one status that counts as success, or null for any 2xx
 */
record HttpCall(URI url, String method, Map<String, String> headers, String body, Integer expectStatus) {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  // Not sent to another origin after a redirect: they were meant for the first one.
  private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");
  private static final String CONTENT_TYPE = "content-type";

  HttpCall {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  static HttpCall parse(String json) {
    return Payloads.read(json, HttpPayload.class).call();
  }

  static boolean isRedirect(int status) {
    return REDIRECTS.contains(status);
  }

  boolean isHttps() {
    return url.getScheme().equalsIgnoreCase("https");
  }

  int port() {
    return url.getPort() >= 0 ? url.getPort() : isHttps() ? 443 : 80;
  }

  /**
   * The request to send, addressed by path and query (the Host header names the URL's host).
   * {@code identity} headers replace payload headers of the same name (case-insensitively), so a
   * job cannot forge them; a Content-Type goes with the body.
   *
   * @throws IllegalArgumentException for a header or Content-Type Pekko refuses
   */
  HttpRequest toRequest(Map<String, String> identity) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    List<HttpHeader> sent = new ArrayList<>();
    String contentType = null;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      String name = header.getKey();
      if (name.equalsIgnoreCase(CONTENT_TYPE)) {
        contentType = header.getValue();
      } else if (identity.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
        sent.add(RawHeader.create(name, header.getValue()));
      }
    }
    identity.forEach((name, value) -> sent.add(RawHeader.create(name, value)));
    HttpRequest request = HttpRequest.create(target)
        .withMethod(HttpMethods.lookup(method).orElseThrow(() -> new IllegalArgumentException("unknown method " + method)))
        .addHeaders(sent);
    if (body == null) {
      return request;
    }
    ContentType type = contentType == null ? ContentTypes.NO_CONTENT_TYPE : ContentTypes.parse(contentType);
    return request.withEntity(HttpEntities.create(type, body.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The hop a redirect with {@code status} to {@code location} leads to: 303, and 301 or 302 after a
   * POST, continue with GET and no body (HEAD stays HEAD), 307 and 308 repeat the request. Credentials
   * are dropped when the origin changes.
   *
   * @throws AddressPolicy.DestinationRefusedException for a location that is no http(s) URL, or that
   *     leads from https to http
   */
  HttpCall redirect(String location, int status) {
    URI next;
    try {
      next = url.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new AddressPolicy.DestinationRefusedException("redirect refused: the location is not a valid URL");
    }
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
      throw new AddressPolicy.DestinationRefusedException("redirect refused: the location is not an http or https URL");
    }
    if (isHttps() && scheme.equals("http")) {
      throw new AddressPolicy.DestinationRefusedException("redirect refused: from https to http");
    }
    boolean asGet = status == 303 && !method.equals("HEAD") || (status == 301 || status == 302) && method.equals("POST");
    Map<String, String> kept = new LinkedHashMap<>();
    HttpCall hop = new HttpCall(next, method, Map.of(), null, expectStatus);
    boolean sameOrigin = scheme.equalsIgnoreCase(url.getScheme()) && next.getHost().equalsIgnoreCase(url.getHost())
        && hop.port() == port();
    headers.forEach((name, value) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!(asGet && lower.equals(CONTENT_TYPE)) && (sameOrigin || !CREDENTIALS.contains(lower))) {
        kept.put(name, value);
      }
    });
    return new HttpCall(next, asGet ? "GET" : method, kept, asGet ? null : body, expectStatus);
  }

  /** Host and port only: URLs may carry credentials or tokens in user info, path or query. */
  String target() {
    return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
  }
}
