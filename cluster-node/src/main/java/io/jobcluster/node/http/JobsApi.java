package io.jobcluster.node.http;

import io.jobcluster.node.JobService;
import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.webhook.WebhookTarget;
import io.jobcluster.node.limits.Admission;
import io.jobcluster.node.limits.SubmissionGate;
import io.jobcluster.node.readmodel.JobQueries;
import io.jobcluster.node.worker.handler.DisabledJobTypes;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobIds;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.wire.ApiError;
import io.jobcluster.protocol.wire.BatchItemJson;
import io.jobcluster.protocol.wire.BatchRequest;
import io.jobcluster.protocol.wire.Items;
import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.JobStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;

/**
 * The jobs part of API v1 as plain functions from a principal and the request's parts to a
 * response; the routes take requests apart, check the key's scope and answer bad input (an
 * {@link InvalidRequestException}, thrown or failing the stage) with 400. Tenants see only their
 * own jobs (an admin key sees all); another tenant's job answers 404 like a missing one.
 */
public final class JobsApi {
  static final int DEFAULT_PAGE = 50;
  static final int MAX_BATCH = 1000;

  private final JobService jobs;
  private final JobQueries queries;
  private final AnswerDeadline deadline;
  private final SubmissionGate gate;
  private final DisabledJobTypes disabledTypes;
  private final WebhookTarget webhooks;

  /** @param webhooks the address rules a job's webhook URL is checked against */
  public JobsApi(JobService jobs, JobQueries queries, AnswerDeadline deadline, SubmissionGate gate, DisabledJobTypes disabledTypes,
      WebhookTarget webhooks) {
    this.jobs = jobs;
    this.queries = queries;
    this.deadline = deadline;
    this.gate = gate;
    this.disabledTypes = disabledTypes;
    this.webhooks = webhooks;
  }

  /** A request's webhook URL must be one the address rules allow (400 naming {@code webhook.url}). */
  private JobRequest checkedWebhook(JobRequest request) {
    if (request.webhook() != null) {
      webhooks.check(request.webhook().url(), "webhook.url");
    }
    return request;
  }

  CompletionStage<HttpResponse> submit(Principal principal, String body, Optional<String> idempotencyHeader) {
    JobRequest submit = checkedWebhook(JsonCodec.read(body, JobRequest.class));
    String header = idempotencyHeader.orElse(null);
    if (header != null && submit.idempotencyKey() != null && !header.equals(submit.idempotencyKey())) {
      throw new InvalidRequestException("idempotencyKey", "differs from the Idempotency-Key header");
    }
    JobSpec spec = jobs.spec(header == null ? submit : submit.withIdempotencyKey(header));
    Optional<ApiError> disabled = disabled(principal, spec.type());
    if (disabled.isPresent()) {
      return CompletableFuture.completedFuture(Responses.json(StatusCodes.get(ErrorCode.JOB_TYPE_DISABLED.httpStatus()), disabled.get()));
    }
    return admitted(principal, 1, () -> deadline.guard(jobs.submit(principal.tenant(), spec).thenApply(reply -> {
      if (reply instanceof JobReply.Accepted accepted) {
        HttpResponse response = Responses.json(accepted.created() ? StatusCodes.CREATED : StatusCodes.OK, Responses.job(accepted.job()));
        return response.addHeader(Location.create("/v1/jobs/" + accepted.job().id()));
      }
      return Responses.rejected((JobReply.Rejected) reply);
    })));
  }


  /**
   * Submits up to {@value #MAX_BATCH} jobs; each is validated and submitted on its own, so a bad
   * item fails alone. Answers 200 with one result per item.
   */
  CompletionStage<HttpResponse> submitBatch(Principal principal, String body) {
    BatchRequest batch = JsonCodec.read(body, BatchRequest.class);
    if (batch.jobs() == null || batch.jobs().isEmpty() || batch.jobs().size() > MAX_BATCH) {
      throw new InvalidRequestException("jobs", "must hold 1 to " + MAX_BATCH + " jobs");
    }
    return admitted(principal, batch.jobs().size(), () -> {
      List<CompletableFuture<BatchItemJson>> items = new ArrayList<>();
      for (int i = 0; i < batch.jobs().size(); i++) {
        items.add(submitItem(principal, i, batch.jobs().get(i)).toCompletableFuture());
      }
      return CompletableFuture.allOf(items.toArray(CompletableFuture[]::new))
          .thenApply(done -> Responses.json(StatusCodes.OK, new Items<>(items.stream().map(CompletableFuture::join).toList())));
    });
  }

  /** Runs {@code submission} if the tenant's rate and quota admit {@code jobs} more jobs, else answers 429. */
  private CompletionStage<HttpResponse> admitted(Principal principal, int jobs, Supplier<CompletionStage<HttpResponse>> submission) {
    return gate.admit(principal.tenant(), jobs)
        .thenCompose(admission -> admission instanceof Admission.Admitted ? submission.get()
            : CompletableFuture.completedFuture(Responses.refused(admission)));
  }

  private CompletionStage<BatchItemJson> submitItem(Principal principal, int index, JsonNode item) {
    JobRequest submit;
    try {
      submit = checkedWebhook(JsonCodec.convert(item, JobRequest.class));
    } catch (InvalidRequestException e) {
      return CompletableFuture.completedFuture(new BatchItemJson(index, 400,
          null, ApiError.invalid(e)));
    }
    Optional<ApiError> disabled = disabled(principal, submit.type());
    if (disabled.isPresent()) {
      return CompletableFuture.completedFuture(new BatchItemJson(index, ErrorCode.JOB_TYPE_DISABLED.httpStatus(), null, disabled.get()));
    }
    return jobs.submit(principal.tenant(), submit).handle((reply, failure) -> {
      if (failure != null) {
        return new BatchItemJson(index, Responses.failureStatus(failure), null, Responses.failureError(failure));
      }
      if (reply instanceof JobReply.Accepted accepted) {
        return new BatchItemJson(index, accepted.created() ? 201 : 200, Responses.job(accepted.job()), null);
      }
      JobReply.Rejected rejected = (JobReply.Rejected) reply;
      return new BatchItemJson(index, rejected.error().httpStatus(), null, ApiError.rejected(rejected));
    });
  }

  /** {@code job_type_disabled} when the operator switched {@code type} off for the principal's tenant. */
  private Optional<ApiError> disabled(Principal principal, String type) {
    return disabledTypes.refusal(principal.tenant(), type)
        .map(message -> new ApiError(ErrorCode.JOB_TYPE_DISABLED.code(), message, "type", null, null));
  }

  CompletionStage<HttpResponse> get(Principal principal, String id) {
    return onJob(principal, id, tenant -> jobs.get(tenant, id), StatusCodes.OK);
  }

  CompletionStage<HttpResponse> cancel(Principal principal, String id) {
    return onJob(principal, id, tenant -> jobs.cancel(tenant, id, "cancelled through the API by key " + principal.keyId()),
        StatusCodes.OK);
  }

  CompletionStage<HttpResponse> retry(Principal principal, String id) {
    return onJob(principal, id, tenant -> jobs.retry(tenant, id), StatusCodes.OK);
  }

  CompletionStage<HttpResponse> delete(Principal principal, String id) {
    return onJob(principal, id, tenant -> jobs.delete(tenant, id), StatusCodes.NO_CONTENT);
  }

  CompletionStage<HttpResponse> history(Principal principal, String id) {
    if (!JobIds.isValid(id)) {
      return CompletableFuture.completedFuture(notFound(id));
    }
    return jobs.history(principal.visibleTenant(), id).thenApply(history -> history
        .map(items -> Responses.json(StatusCodes.OK, new Items<>(items)))
        .orElseGet(() -> notFound(id)));
  }

  CompletionStage<HttpResponse> list(Principal principal, Map<String, String> parameters) {
    JobStatus status = parameters.containsKey("status") ? status(parameters.get("status")) : null;
    int limit = parameters.containsKey("limit") ? limit(parameters.get("limit")) : DEFAULT_PAGE;
    return queries.list(principal.visibleTenant(), status, parameters.get("queue"), parameters.get("type"), limit, parameters.get("cursor"))
        .thenApply(page -> Responses.json(StatusCodes.OK, page));
  }

  private CompletionStage<HttpResponse> onJob(Principal principal, String id, Function<String, CompletionStage<JobReply>> command,
      org.apache.pekko.http.javadsl.model.StatusCode success) {
    if (!JobIds.isValid(id)) {
      return CompletableFuture.completedFuture(notFound(id));
    }
    return deadline.guard(command.apply(principal.visibleTenant()).thenApply(reply -> {
      if (reply instanceof JobReply.Accepted accepted) {
        return success == StatusCodes.NO_CONTENT ? HttpResponse.create().withStatus(success)
            : Responses.json(success, Responses.job(accepted.job()));
      }
      return Responses.rejected((JobReply.Rejected) reply);
    }));
  }

  static HttpResponse notFound(String id) {
    return Responses.error(ErrorCode.NOT_FOUND, "no job " + (JobIds.isValid(id) ? id : "with that id"));
  }

  static JobStatus status(String value) {
    try {
      return JobStatus.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("status", "must be one of SCHEDULED, PENDING, RUNNING, RETRYING, COMPLETED, FAILED, CANCELLED, EXPIRED");
    }
  }

  /** The page size asked for; {@link JobQueries#list} checks its range. */
  private static int limit(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw JobQueries.invalidLimit();
    }
  }
}
