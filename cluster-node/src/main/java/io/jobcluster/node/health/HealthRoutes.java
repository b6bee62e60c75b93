package io.jobcluster.node.health;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;

import io.jobcluster.node.json.NodeJson;
import io.jobcluster.protocol.wire.Readiness;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /health/live} (the process answers) and {@code GET /health/ready} (it can do work). */
public final class HealthRoutes {
  private final Supplier<CompletionStage<Readiness>> readiness;

  public HealthRoutes(Supplier<CompletionStage<Readiness>> readiness) {
    this.readiness = readiness;
  }

  /** {@code GET /health/live}: the process answers. */
  public Route live() {
    return complete(json(StatusCodes.OK, "{\"status\":\"live\"}"));
  }

  /** {@code GET /health/ready}: 200 when joined, sharding answers and the database answers; else 503 with what is missing. */
  public Route ready() {
    return completeWithFuture(readiness.get().thenApply(HealthRoutes::readyResponse));
  }

  private static HttpResponse readyResponse(Readiness r) {
    return json(r.isReady() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, NodeJson.write(r));
  }

  private static HttpResponse json(org.apache.pekko.http.javadsl.model.StatusCode status, String body) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }
}
