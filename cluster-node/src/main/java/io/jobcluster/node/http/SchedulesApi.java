package io.jobcluster.node.http;

import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.schedule.ScheduleReply;
import io.jobcluster.node.schedule.ScheduleService;
import io.jobcluster.node.worker.handler.DisabledJobTypes;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.wire.Items;
import io.jobcluster.protocol.wire.ScheduleJson;
import io.jobcluster.protocol.wire.ScheduleRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;

/**
 * Recurring schedules in API v1. A schedule belongs to the tenant of the key that made it (the
 * operator's key: tenant {@code admin}); another tenant's schedule answers 404 like a missing one.
 */
public final class SchedulesApi {
  private final ScheduleService schedules;
  private final AnswerDeadline deadline;
  private final DisabledJobTypes disabledTypes;

  public SchedulesApi(ScheduleService schedules, AnswerDeadline deadline, DisabledJobTypes disabledTypes) {
    this.schedules = schedules;
    this.deadline = deadline;
    this.disabledTypes = disabledTypes;
  }

  CompletionStage<HttpResponse> create(Principal principal, String body) {
    ScheduleRequest request = JsonCodec.read(body, ScheduleRequest.class);
    return disabled(principal, request).orElseGet(() -> answer(principal, schedules.create(principal.tenant(), request), null));
  }

  /** {@code job_type_disabled} when the operator switched the job's type off for the tenant: a schedule of it would only fail its jobs. */
  private Optional<CompletionStage<HttpResponse>> disabled(Principal principal, ScheduleRequest request) {
    if (request.job() == null || request.job().type() == null) {
      return Optional.empty();
    }
    return disabledTypes.refusal(principal.tenant(), request.job().type())
        .map(message -> CompletableFuture.completedFuture(Responses.error(ErrorCode.JOB_TYPE_DISABLED, message)));
  }

  CompletionStage<HttpResponse> list(Principal principal) {
    return deadline.guard(schedules.list(principal.tenant()).thenCompose(all -> {
      List<CompletableFuture<ScheduleJson>> views = all.stream().map(one -> schedules.view(principal.tenant(), one).toCompletableFuture()).toList();
      return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
          .thenApply(done -> Responses.json(StatusCodes.OK, new Items<>(views.stream().map(CompletableFuture::join).toList())));
    }));
  }

  CompletionStage<HttpResponse> get(Principal principal, String id) {
    return answer(principal, schedules.get(principal.tenant(), id), StatusCodes.OK);
  }

  CompletionStage<HttpResponse> change(Principal principal, String id, String body) {
    ScheduleRequest patch = JsonCodec.read(body, ScheduleRequest.class);
    return disabled(principal, patch).orElseGet(() -> answer(principal, schedules.change(principal.tenant(), id, patch), StatusCodes.OK));
  }

  CompletionStage<HttpResponse> pause(Principal principal, String id) {
    return answer(principal, schedules.pause(principal.tenant(), id), StatusCodes.OK);
  }

  CompletionStage<HttpResponse> resume(Principal principal, String id) {
    return answer(principal, schedules.resume(principal.tenant(), id), StatusCodes.OK);
  }

  CompletionStage<HttpResponse> delete(Principal principal, String id) {
    return deadline.guard(schedules.delete(principal.tenant(), id).thenApply(reply -> reply instanceof ScheduleReply.Rejected rejected
        ? rejected(rejected) : HttpResponse.create().withStatus(StatusCodes.NO_CONTENT)));
  }

  /** The schedule's view with {@code status}; null: 201 with its Location when the call created it, else 200. */
  private CompletionStage<HttpResponse> answer(Principal principal, CompletionStage<ScheduleReply> reply, StatusCode status) {
    return deadline.guard(reply.thenCompose(answered -> {
      if (answered instanceof ScheduleReply.Rejected rejected) {
        return CompletableFuture.completedFuture(rejected(rejected));
      }
      ScheduleReply.Accepted accepted = (ScheduleReply.Accepted) answered;
      return schedules.view(principal.tenant(), accepted).thenApply(view -> {
        if (status != null) {
          return Responses.json(status, view);
        }
        HttpResponse response = Responses.json(accepted.created() ? StatusCodes.CREATED : StatusCodes.OK, view);
        return response.addHeader(Location.create("/v1/schedules/" + view.id()));
      });
    }));
  }

  private static HttpResponse rejected(ScheduleReply.Rejected rejected) {
    return Responses.error(rejected.error(), rejected.message());
  }
}
