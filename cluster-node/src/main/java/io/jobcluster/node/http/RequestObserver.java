package io.jobcluster.node.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.mapResponse;

import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.metrics.NodeMetrics;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Around every request: counts and times each answer by endpoint template, and writes one
 * structured access-log line per request
 * on the logger {@value #ACCESS_LOGGER}. The log names the route template, status, duration,
 * tenant, key id and request id; never the path's ids, the query, headers or bodies, so no secret
 * reaches it. A request id comes from a well-formed {@code X-Request-Id} header or is made up, and
 * is sent back in that header.
 *
 * <p>It also keeps the bound on API requests this node serves at once ({@link #inFlight}): the
 * gateway takes a slot only once a request is authenticated, so calls without a valid key never
 * hold one (more answer {@code 503 unavailable} with Retry-After at once, so overload never
 * queues without bound).
 */
public final class RequestObserver {
  public static final String ACCESS_LOGGER = "jobcluster.access";
  static final AttributeKey<Principal> PRINCIPAL = AttributeKey.create("jobcluster-principal", Principal.class);
  private static final Logger access = LoggerFactory.getLogger(ACCESS_LOGGER);
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String UNMATCHED = "unmatched";

  private final NodeMetrics metrics;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param maxInFlight API requests ({@code /v1/...}) this node serves at once; health and metrics are not bounded
   */
  public RequestObserver(NodeMetrics metrics, int maxInFlight) {
    this.metrics = metrics;
    this.maxInFlight = maxInFlight;
    metrics.httpInFlight(inFlight::get);
  }

  Route observe(Supplier<Route> inner) {
    return extractRequest(request -> {
      long start = System.nanoTime();
      String requestId = request.getHeader("X-Request-Id").map(h -> h.value()).filter(id -> REQUEST_ID.matcher(id).matches())
          .orElseGet(() -> UUID.randomUUID().toString());
      return mapResponse(response -> answered(request, response, start, requestId), inner);
    });
  }

  /**
   * Serves {@code inner} in one of the node's API slots, or answers 503 at once when all are taken.
   * {@code inner} must answer every request (no rejections), or its slot would never be returned.
   */
  Route inFlight(Supplier<Route> inner) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return complete(Responses.unavailable("this node is serving its limit of " + maxInFlight + " requests; try again"));
    }
    return mapResponse(response -> {
      inFlight.decrementAndGet();
      return response;
    }, inner);
  }

  private HttpResponse answered(HttpRequest request, HttpResponse response, long startNanos, String requestId) {
    long nanos = System.nanoTime() - startNanos;
    String method = request.method().name();
    String route = response.getAttribute(Endpoint.TEMPLATE).orElse(UNMATCHED);
    int status = response.status().intValue();
    metrics.httpAnswered(method, route, status, nanos);
    if (access.isInfoEnabled()) {
      Principal principal = response.getAttribute(PRINCIPAL).orElse(null);
      access.info("request method={} route={} status={} ms={} tenant={} key={} request_id={}", method, route, status,
          Math.round(nanos / 1e6), principal == null ? "-" : principal.tenant(), principal == null ? "-" : principal.keyId(), requestId);
    }
    return response.addHeader(RawHeader.create("X-Request-Id", requestId));
  }
}
