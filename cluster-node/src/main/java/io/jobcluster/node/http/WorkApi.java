package io.jobcluster.node.http;

import io.jobcluster.node.JobService;
import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.worker.ExternalLease;
import io.jobcluster.node.worker.LeasedAttempt;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.QueueName;
import io.jobcluster.protocol.JobIds;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.wire.CompleteRequest;
import io.jobcluster.protocol.wire.FailRequest;
import io.jobcluster.protocol.wire.HeartbeatRequest;
import io.jobcluster.protocol.wire.Items;
import io.jobcluster.protocol.wire.LeaseRequest;
import io.jobcluster.protocol.wire.LeasedJobJson;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * External workers over HTTP: lease jobs of their tenant from a queue with a
 * long poll, then heartbeat, complete or fail each one by its lease id. A stale lease id answers
 * 409 and changes nothing: stop working on that job.
 */
public final class WorkApi {
  static final int MAX_LEASE = 100;
  static final int MAX_WAIT_SECONDS = 30;
  static final int MAX_LEASE_TYPES = 100;
  private static final Duration MIN_WINDOW = Duration.ofMillis(500);
  private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final ActorSystem<?> system;
  private final JobService jobs;
  private final AnswerDeadline deadline;
  private final Duration leaseLinger;

  /** @param leaseLinger how long a lease window still hands back late assignments after it answered */
  public WorkApi(ActorSystem<?> system, JobService jobs, AnswerDeadline deadline, Duration leaseLinger) {
    this.system = system;
    this.jobs = jobs;
    this.deadline = deadline;
    this.leaseLinger = leaseLinger;
  }





  CompletionStage<HttpResponse> lease(Principal principal, String queue, String body) {
    QueueName.require(queue);
    LeaseRequest lease = JsonCodec.read(body, LeaseRequest.class);
    if (lease.workerId() == null || !WORKER_ID.matcher(lease.workerId()).matches()) {
      throw new InvalidRequestException("workerId", "is required and must match [A-Za-z0-9._:-]{1,128}");
    }
    int max = lease.max() == null ? 1 : lease.max();
    if (max < 1 || max > MAX_LEASE) {
      throw new InvalidRequestException("max", "must be between 1 and " + MAX_LEASE);
    }
    int waitSeconds = lease.waitSeconds() == null ? 0 : lease.waitSeconds();
    if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
      throw new InvalidRequestException("waitSeconds", "must be between 0 and " + MAX_WAIT_SECONDS);
    }
    Set<String> types = leaseTypes(lease.types());
    Duration window = Duration.ofSeconds(waitSeconds).compareTo(MIN_WINDOW) < 0 ? MIN_WINDOW : Duration.ofSeconds(waitSeconds);
    CompletableFuture<List<LeasedAttempt>> leased = new CompletableFuture<>();
    system.systemActorOf(ExternalLease.create(queue, principal.visibleTenant(), lease.workerId(), types, max, window, leaseLinger, jobs, leased),
        "external-lease-" + UUID.randomUUID(), Props.empty());
    return leased.thenApply(got -> Responses.json(StatusCodes.OK, new Items<>(got.stream().map(WorkApi::leasedJson).toList())));
  }

  /** The job types a lease asks for: valid job type names, at most {@value #MAX_LEASE_TYPES}; none: every type. */
  private static Set<String> leaseTypes(List<String> types) {
    if (types == null) {
      return Set.of();
    }
    if (types.size() > MAX_LEASE_TYPES) {
      throw new InvalidRequestException("types", "may name at most " + MAX_LEASE_TYPES + " job types");
    }
    for (String type : types) {
      if (type == null || !JobSpec.TYPE.matcher(type).matches()) {
        throw new InvalidRequestException("types", "each must match " + JobSpec.TYPE.pattern());
      }
    }
    return Set.copyOf(types);
  }

  CompletionStage<HttpResponse> heartbeat(Principal principal, String id, String body) {
    HeartbeatRequest heartbeat = JsonCodec.read(body, HeartbeatRequest.class);
    String progress = heartbeat.progress() == null || heartbeat.progress().isNull() ? null : heartbeat.progress().toString();
    return onLease(id, heartbeat.leaseId(), leaseId -> jobs.heartbeat(principal.visibleTenant(), id, leaseId, progress));
  }

  CompletionStage<HttpResponse> complete(Principal principal, String id, String body) {
    CompleteRequest complete = JsonCodec.read(body, CompleteRequest.class);
    String result = complete.result() == null || complete.result().isNull() ? null : complete.result().toString();
    return onLease(id, complete.leaseId(), leaseId -> jobs.complete(principal.visibleTenant(), id, leaseId, result));
  }

  CompletionStage<HttpResponse> fail(Principal principal, String id, String body) {
    FailRequest fail = JsonCodec.read(body, FailRequest.class);
    if (fail.error() == null || fail.error().isBlank()) {
      throw new InvalidRequestException("error", "is required");
    }
    if (fail.error().indexOf('\u0000') >= 0) {
      throw new InvalidRequestException("error", "must not contain NUL");
    }
    Long retryAfter = fail.retryAfterSeconds();
    if (retryAfter != null && (retryAfter < 0 || retryAfter > FailRequest.MAX_RETRY_AFTER_SECONDS)) {
      throw new InvalidRequestException("retryAfterSeconds", "must be between 0 and " + FailRequest.MAX_RETRY_AFTER_SECONDS);
    }
    boolean retryable = fail.retryable() == null || fail.retryable();
    Duration delay = retryAfter == null ? null : Duration.ofSeconds(retryAfter);
    return onLease(id, fail.leaseId(), leaseId -> jobs.failRetryingAfter(principal.visibleTenant(), id, leaseId, fail.error(), retryable, delay));
  }

  private CompletionStage<HttpResponse> onLease(String id, String leaseId, java.util.function.Function<String, CompletionStage<JobReply>> command) {
    if (!JobIds.isValid(id)) {
      return CompletableFuture.completedFuture(Responses.error(ErrorCode.NOT_FOUND, "no job with that id"));
    }
    if (leaseId == null || leaseId.isBlank()) {
      throw new InvalidRequestException("leaseId", "is required");
    }
    return deadline.guard(command.apply(leaseId).thenApply(reply -> reply instanceof JobReply.Accepted accepted
        ? Responses.json(StatusCodes.OK, Responses.job(accepted.job()))
        : Responses.rejected((JobReply.Rejected) reply)));
  }


  private static LeasedJobJson leasedJson(LeasedAttempt job) {
    return new LeasedJobJson(job.jobId().value(), job.attempt(), job.leaseId().value(), job.type(), JsonCodec.tree(job.payload()), job.leaseExpiresAt());
  }
}
