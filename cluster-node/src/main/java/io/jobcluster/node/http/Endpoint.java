package io.jobcluster.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.mapResponse;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.auth.Scope;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * One route of the node's HTTP interface: a method, a path template such as
 * {@code /v1/jobs/{id}/cancel}, the scope a caller's key needs (none for a public endpoint),
 * whether it writes (and so needs the database), and what serves it. The node's routes are built
 * only from its list of endpoints, so that list is the whole interface: the OpenAPI document is
 * checked against it, and metrics and request logs name the template (never the concrete path,
 * which holds ids).
 *
 * @param scope the scope a key needs to be served; empty for a public endpoint (no key at all)
 * @param writes whether the endpoint changes jobs, so is refused at once while the database is down
 */
public record Endpoint(String method, String path, Optional<Scope> scope, boolean writes, Function<Call, Route> serve) {
  /** The template of the endpoint that produced a response, attached to the response for metrics and logs. */
  static final AttributeKey<String> TEMPLATE = AttributeKey.create("jobcluster-endpoint", String.class);

  /**
   * A request that reached its endpoint: the template's parameters and, on a scoped endpoint, the
   * caller, who holds the scope.
   *
   * @param principal null on a public endpoint
   */
  public record Call(Map<String, String> parameters, Principal principal) {
    String parameter(String name) {
      return parameters.get(name);
    }
  }

  public Endpoint {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(serve, "serve");
    if (!path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("a path template starts with / and does not end with it: " + path);
    }
    if (writes && scope.isEmpty()) {
      throw new IllegalArgumentException("a public endpoint does not write: " + path);
    }
  }

  /** A {@code GET} anyone may call, without a key. */
  static Endpoint publicGet(String path, Supplier<Route> serve) {
    return new Endpoint("GET", path, Optional.empty(), false, call -> serve.get());
  }

  static Endpoint get(String path, Scope scope, Function<Call, Route> serve) {
    return new Endpoint("GET", path, Optional.of(scope), false, serve);
  }

  static Endpoint post(String path, Scope scope, Function<Call, Route> serve) {
    return new Endpoint("POST", path, Optional.of(scope), false, serve);
  }

  static Endpoint patch(String path, Scope scope, Function<Call, Route> serve) {
    return new Endpoint("PATCH", path, Optional.of(scope), false, serve);
  }

  static Endpoint delete(String path, Scope scope, Function<Call, Route> serve) {
    return new Endpoint("DELETE", path, Optional.of(scope), false, serve);
  }

  /** This endpoint, marked as one that writes. */
  Endpoint writing() {
    return new Endpoint(method, path, scope, true, serve);
  }

  /** {@code METHOD /path/{param}}, as routes are named in metrics, logs and the OpenAPI check. */
  public String name() {
    return method + " " + path;
  }

  /**
   * Matches the whole path and the method, then hands the template's parameters to
   * {@code admit} (which checks what stands before {@link #serve}); the response carries the template.
   */
  Route route(Function<Map<String, String>, Route> admit) {
    List<String> segments = List.of(path.substring(1).split("/"));
    return match(segments, 0, Map.of(), admit);
  }

  private Route match(List<String> segments, int index, Map<String, String> parameters, Function<Map<String, String>, Route> admit) {
    if (index == segments.size()) {
      return pathEnd(() -> Directives.method(HttpMethods.lookup(method).orElseThrow(), () ->
          mapResponse(response -> response.addAttribute(TEMPLATE, path), () -> admit.apply(parameters))));
    }
    String segment = segments.get(index);
    if (segment.startsWith("{") && segment.endsWith("}")) {
      String name = segment.substring(1, segment.length() - 1);
      return pathPrefix(segment(), value -> {
        Map<String, String> bound = new HashMap<>(parameters);
        bound.put(name, value);
        return match(segments, index + 1, bound, admit);
      });
    }
    return pathPrefix(segment, () -> match(segments, index + 1, parameters, admit));
  }
}
