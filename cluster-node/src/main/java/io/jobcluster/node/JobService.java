package io.jobcluster.node;

import io.jobcluster.node.job.AttemptCancelled;
import io.jobcluster.node.job.JobEntity;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobIds;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** The one way into job entities for routes, dispatchers and tests: no caller talks to sharding. */
public final class JobService {
  private final ClusterSharding sharding;
  private final Clock clock;
  private final Duration askTimeout;

  public JobService(ActorSystem<?> system, Clock clock, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.clock = clock;
    this.askTimeout = askTimeout;
  }

  /**
   * Validates and submits a job. With an idempotency key the id is derived from (tenant, key), so a
   * repeat reaches the same entity and answers the existing job.
   *
   * @return a stage failed with {@link InvalidRequestException} on bad input
   */
  public CompletionStage<JobReply> submit(String tenant, JobRequest request) {
    JobSpec spec;
    try {
      spec = spec(request);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return submit(tenant, spec);
  }

  /** Validates {@code request} as of now; throws {@link io.jobcluster.protocol.InvalidRequestException} naming the bad field. */
  public JobSpec spec(JobRequest request) {
    return JobSpec.from(request, clock.instant());
  }

  public CompletionStage<JobReply> submit(String tenant, JobSpec spec) {
    String id = spec.idempotencyKey() == null ? JobIds.random() : JobIds.forIdempotencyKey(tenant, spec.idempotencyKey());
    return ask(id, replyTo -> new JobEntity.Submit(tenant, spec, replyTo));
  }

  public CompletionStage<JobReply> get(String tenant, String jobId) {
    return ask(jobId, replyTo -> new JobEntity.Get(tenant, replyTo));
  }

  /** Leases a PENDING job; {@code cancelTo} (may be null) hears if the job is cancelled while it runs. */
  public CompletionStage<JobReply> lease(String jobId, String leaseId, String workerId, String node, ActorRef<AttemptCancelled> cancelTo) {
    return ask(jobId, replyTo -> new JobEntity.Lease(leaseId, workerId, node, cancelTo, replyTo));
  }

  public CompletionStage<JobReply> heartbeat(String jobId, String leaseId, String progress) {
    return ask(jobId, replyTo -> new JobEntity.Heartbeat(leaseId, progress, replyTo));
  }

  public CompletionStage<JobReply> complete(String jobId, String leaseId, String result) {
    return ask(jobId, replyTo -> new JobEntity.Complete(leaseId, result, replyTo));
  }

  public CompletionStage<JobReply> fail(String jobId, String leaseId, String error, boolean retryable) {
    return ask(jobId, replyTo -> new JobEntity.Fail(leaseId, error, retryable, replyTo));
  }

  public CompletionStage<JobReply> handBack(String jobId, String leaseId) {
    return ask(jobId, replyTo -> new JobEntity.HandBack(leaseId, replyTo));
  }

  public CompletionStage<JobReply> workerLost(String jobId, String leaseId) {
    return ask(jobId, replyTo -> new JobEntity.WorkerLost(leaseId, replyTo));
  }

  public CompletionStage<JobReply> workerNodeLost(String jobId, String node) {
    return ask(jobId, replyTo -> new JobEntity.WorkerNodeLost(node, replyTo));
  }

  public CompletionStage<JobReply> cancel(String tenant, String jobId, String reason) {
    return ask(jobId, replyTo -> new JobEntity.Cancel(tenant, reason, replyTo));
  }

  public CompletionStage<JobReply> retry(String tenant, String jobId) {
    return ask(jobId, replyTo -> new JobEntity.Retry(tenant, replyTo));
  }

  public CompletionStage<JobReply> delete(String tenant, String jobId) {
    return ask(jobId, replyTo -> new JobEntity.Delete(tenant, replyTo));
  }

  private CompletionStage<JobReply> ask(String jobId, Function<ActorRef<JobReply>, JobEntity.Command> command) {
    if (!JobIds.isValid(jobId)) {
      return CompletableFuture.failedFuture(new InvalidRequestException("id", "must be a job id (a UUID)"));
    }
    return sharding.entityRefFor(JobEntity.TYPE_KEY, jobId).ask(command::apply, askTimeout);
  }
}
