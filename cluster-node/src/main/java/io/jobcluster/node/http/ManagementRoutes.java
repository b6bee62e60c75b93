package io.jobcluster.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;

import io.jobcluster.node.health.HealthRoutes;
import io.jobcluster.protocol.ErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The management port's interface: {@code GET /metrics} (Prometheus), the health endpoints and
 * {@code POST /drain} ({@link DrainApi}), without keys. It listens apart from the API (its own host and port), so that only the networks
 * of operators and scrapers reach the metrics, which name queues and job types; the API port
 * serves no metrics. Its requests are neither bounded nor counted as API requests.
 */
public final class ManagementRoutes {
  /** The paths probes, scrapers and preStop hooks use (deploy/ refers to them; tests check that it does). */
  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";
  public static final String METRICS = "/metrics";
  public static final String DRAIN = "/drain";

  private final List<Endpoint> endpoints;

  public ManagementRoutes(HealthRoutes health, MetricsApi metrics, DrainApi drain) {
    this.endpoints = List.of(
        Endpoint.publicGet(LIVE, health::live),
        Endpoint.publicGet(READY, health::ready),
        Endpoint.publicGet(METRICS, metrics::scrape),
        // Keyless like the rest of the port (operators' network only): it stops this node's work, nothing more.
        new Endpoint("POST", DRAIN, Optional.empty(), false, call -> drain.drain()));
  }

  /** Every endpoint of the management port. */
  public List<Endpoint> endpointList() {
    return endpoints;
  }

  public Route routes() {
    Route[] routes = Stream.concat(
        endpoints.stream().map(endpoint -> endpoint.route(parameters -> endpoint.serve().apply(new Endpoint.Call(parameters, null)))),
        Stream.of(complete(Responses.error(ErrorCode.NOT_FOUND, "no such path")))).toArray(Route[]::new);
    return concat(routes[0], Arrays.copyOfRange(routes, 1, routes.length));
  }
}
