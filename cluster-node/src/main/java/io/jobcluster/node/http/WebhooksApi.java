package io.jobcluster.node.http;

import io.jobcluster.node.JobService;
import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.webhook.Webhooks;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobIds;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.Webhook;
import io.jobcluster.protocol.wire.Items;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * Webhooks: a tenant's secret and default URL ({@code admin} scope, the tenant's own or the
 * operator's key), and a job's delivery log ({@code read} scope).
 */
public final class WebhooksApi {
  private final Webhooks webhooks;
  private final JobService jobs;

  public WebhooksApi(Webhooks webhooks, JobService jobs) {
    this.webhooks = webhooks;
    this.jobs = jobs;
  }

  /** Draws the tenant's new secret and shows it this once; the previous one stops signing. */
  CompletionStage<HttpResponse> drawSecret(Principal principal, String tenant) {
    return managed(principal, tenant, () -> webhooks.drawSecret(tenant).thenApply(secret -> Responses.json(StatusCodes.CREATED, secret)));
  }

  CompletionStage<HttpResponse> settings(Principal principal, String tenant) {
    return managed(principal, tenant, () -> webhooks.settings(tenant).thenApply(settings -> Responses.json(StatusCodes.OK, settings)));
  }

  /** Sets the tenant's default webhook from {@code {"url": ...}}; a null url removes it. */
  CompletionStage<HttpResponse> setDefault(Principal principal, String tenant, String body) {
    Webhook webhook = JsonCodec.read(body, Webhook.class);
    if (webhook.url() != null) {
      webhooks.target().check(webhook.url(), "url");
    }
    return managed(principal, tenant, () -> webhooks.setDefaultUrl(tenant, webhook.url())
        .thenApply(settings -> Responses.json(StatusCodes.OK, settings)));
  }

  /** The job's webhook deliveries with every attempt; 404 for no such job of the caller's tenant. */
  CompletionStage<HttpResponse> deliveries(Principal principal, String id) {
    if (!JobIds.isValid(id)) {
      return CompletableFuture.completedFuture(JobsApi.notFound(id));
    }
    return jobs.get(principal.visibleTenant(), id).thenCompose(reply -> reply instanceof JobReply.Accepted
        ? webhooks.deliveries(id).thenApply(deliveries -> Responses.json(StatusCodes.OK, new Items<>(deliveries)))
        : CompletableFuture.completedFuture(JobsApi.notFound(id)));
  }

  private static CompletionStage<HttpResponse> managed(Principal principal, String tenant, Supplier<CompletionStage<HttpResponse>> call) {
    if (!principal.managesKeysOf(tenant)) {
      return CompletableFuture.completedFuture(Responses.error(ErrorCode.FORBIDDEN,
          "this key manages the webhooks of tenant '" + principal.tenant() + "' only"));
    }
    return call.get();
  }
}
