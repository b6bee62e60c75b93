package io.jobcluster.node.health;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

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

  public Route routes() {
    return concat(
        path(segment("health").slash("live"), () -> get(() -> complete(json(StatusCodes.OK, "{\"status\":\"live\"}")))),
        path(segment("health").slash("ready"), () -> get(() -> completeWithFuture(readiness.get().thenApply(HealthRoutes::readyResponse)))));
  }

  private static HttpResponse readyResponse(Readiness r) {
    String body = String.format("{\"status\":\"%s\",\"members\":%d,\"clusterJoined\":%b,\"shardingStarted\":%b,\"databaseReachable\":%b}",
        r.isReady() ? "ready" : "not_ready", r.upMembers(), r.clusterJoined(), r.shardingStarted(), r.databaseReachable());
    return json(r.isReady() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body);
  }

  private static HttpResponse json(org.apache.pekko.http.javadsl.model.StatusCode status, String body) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }
}
