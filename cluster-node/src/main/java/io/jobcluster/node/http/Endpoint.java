package io.jobcluster.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.mapResponse;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * One route of the node's HTTP interface: a method, a path template such as
 * {@code /v1/jobs/{id}/cancel}, and what serves it given the template's parameters. The node's
 * routes are built only from its list of endpoints, so that list is the whole interface: the
 * OpenAPI document is checked against it, and metrics and request logs name the template (never
 * the concrete path, which holds ids).
 */
public record Endpoint(String method, String path, Function<Map<String, String>, Route> serve) {
  /** The template of the endpoint that produced a response, attached to the response for metrics and logs. */
  static final AttributeKey<String> TEMPLATE = AttributeKey.create("jobcluster-endpoint", String.class);

  public Endpoint {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(serve, "serve");
    if (!path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("a path template starts with / and does not end with it: " + path);
    }
  }

  static Endpoint get(String path, Function<Map<String, String>, Route> serve) {
    return new Endpoint("GET", path, serve);
  }

  static Endpoint post(String path, Function<Map<String, String>, Route> serve) {
    return new Endpoint("POST", path, serve);
  }

  static Endpoint delete(String path, Function<Map<String, String>, Route> serve) {
    return new Endpoint("DELETE", path, serve);
  }

  /** {@code METHOD /path/{param}}, as routes are named in metrics, logs and the OpenAPI check. */
  public String name() {
    return method + " " + path;
  }

  /** Matches the whole path and the method, then serves; the response carries the template. */
  Route route() {
    List<String> segments = List.of(path.substring(1).split("/"));
    return match(segments, 0, Map.of());
  }

  private Route match(List<String> segments, int index, Map<String, String> parameters) {
    if (index == segments.size()) {
      return pathEnd(() -> Directives.method(HttpMethods.lookup(method).orElseThrow(), () ->
          mapResponse(response -> response.addAttribute(TEMPLATE, path), () -> serve.apply(parameters))));
    }
    String segment = segments.get(index);
    if (segment.startsWith("{") && segment.endsWith("}")) {
      String name = segment.substring(1, segment.length() - 1);
      return pathPrefix(segment(), value -> {
        Map<String, String> bound = new HashMap<>(parameters);
        bound.put(name, value);
        return match(segments, index + 1, bound);
      });
    }
    return pathPrefix(segment, () -> match(segments, index + 1, parameters));
  }
}
