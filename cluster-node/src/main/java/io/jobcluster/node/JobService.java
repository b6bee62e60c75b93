package io.jobcluster.node;

import com.typesafe.config.Config;
import io.jobcluster.node.job.AttemptCancelled;
import io.jobcluster.node.job.JobEntity;
import io.jobcluster.node.job.JobHistory;
import io.jobcluster.node.limits.PayloadLimit;
import io.jobcluster.node.limits.PayloadTooLargeException;
import io.jobcluster.node.schedule.ScheduleJobs;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobIds;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.wire.JobTransition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.Patterns;

/** The one way into job entities for routes, dispatchers and tests: no caller talks to sharding. */
public final class JobService implements ScheduleJobs {
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final JobHistory history;
  private final Clock clock;
  private final Duration askTimeout;
  private final LostWorkerAsks lostWorkerAsks;
  private final PayloadLimit payloadLimit;
  private final byte[] clusterSecret;

  /**
   * How the attempt of a lost worker is ended (see {@link #workerLost}): each ask waits {@code timeout}
   * and is repeated every {@code retryDelay} until the entity answers or {@code giveUpAfter} passed.
   * From {@code jobcluster.job.lost-worker-asks}.
   */
  public record LostWorkerAsks(Duration timeout, Duration retryDelay, Duration giveUpAfter) {
    public static LostWorkerAsks from(Config settings) {
      return new LostWorkerAsks(settings.getDuration("timeout"), settings.getDuration("retry-delay"), settings.getDuration("give-up-after"));
    }
  }

  /** @param clusterSecret the HMAC key of ids derived from idempotency keys, the same on every node of the cluster */
  public JobService(ActorSystem<?> system, Clock clock, Duration askTimeout, LostWorkerAsks lostWorkerAsks, PayloadLimit payloadLimit,
      byte[] clusterSecret) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.history = JobHistory.of(system);
    this.clock = clock;
    this.askTimeout = askTimeout;
    this.lostWorkerAsks = lostWorkerAsks;
    this.payloadLimit = payloadLimit;
    this.clusterSecret = clusterSecret.clone();
  }

  /**
   * Validates and submits a job. With an idempotency key the id is derived from (tenant, key) under
   * the cluster secret, so a repeat reaches the same entity and answers the existing job.
   *
   * @return a stage failed with {@link InvalidRequestException} on bad input, or with
   *     {@link PayloadTooLargeException}
   */
  @Override
  public CompletionStage<JobReply> submit(String tenant, JobRequest request) {
    JobSpec spec;
    try {
      spec = spec(request);
    } catch (IllegalArgumentException | PayloadTooLargeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return submit(tenant, spec);
  }

  /**
   * Validates {@code request} as of now; throws {@link io.jobcluster.protocol.InvalidRequestException} naming the bad field,
   * or {@link PayloadTooLargeException} (checked first: nothing else of a refused job is worth reading).
   */
  public JobSpec spec(JobRequest request) {
    payloadLimit.check(request.payload());
    return JobSpec.from(request, clock.instant());
  }

  public CompletionStage<JobReply> submit(String tenant, JobSpec spec) {
    // A random id is new: its entity need not look for earlier events. A key's id may have some.
    boolean fresh = spec.idempotencyKey() == null;
    String id = fresh ? JobIds.random() : jobIdFor(tenant, spec.idempotencyKey());
    return ask(id, replyTo -> new JobEntity.Submit(tenant, spec, fresh, replyTo));
  }

  @Override
  public String jobIdFor(String tenant, String idempotencyKey) {
    return JobIds.forIdempotencyKey(clusterSecret, tenant, idempotencyKey);
  }

  /** Wakes a job whose deadline comes soon or passed while its entity was not running (not answered). */
  public void wake(String jobId) {
    sharding.entityRefFor(JobEntity.TYPE_KEY, jobId).tell(JobEntity.Wake.INSTANCE);
  }

  /** The job's transitions, oldest first; empty when {@code tenant} (null: any) has no such job. */
  public CompletionStage<Optional<List<JobTransition>>> history(String tenant, String jobId) {
    return history.read(tenant, jobId);
  }

  @Override
  public CompletionStage<JobReply> get(String tenant, String jobId) {
    return ask(jobId, replyTo -> new JobEntity.Get(tenant, replyTo));
  }

  /**
   * Leases a PENDING job; {@code cancelListener} (may be null) hears if the job is cancelled while it
   * runs. Gives up after {@code timeout}; a dispatcher asks again with the same lease id.
   */
  public CompletionStage<JobReply> lease(String jobId, String leaseId, String workerId, String node, ActorRef<AttemptCancelled> cancelListener,
      Duration timeout) {
    return ask(jobId, replyTo -> new JobEntity.Lease(leaseId, workerId, node, cancelListener, replyTo), timeout);
  }

  /**
   * A worker's heartbeat. {@code tenant} is the tenant an external worker works for (another tenant's
   * job answers {@code not_found}); null for the cluster's own pools. Likewise for complete and fail.
   */
  public CompletionStage<JobReply> heartbeat(String tenant, String jobId, String leaseId, String progress) {
    return ask(jobId, replyTo -> new JobEntity.Heartbeat(tenant, leaseId, progress, replyTo));
  }

  /**
   * Completes the attempt with {@code result}; a result over the limit (from an in-JVM handler) fails
   * the attempt instead, not retried: kept, it would be too large to cross nodes.
   */
  public CompletionStage<JobReply> complete(String tenant, String jobId, String leaseId, String result) {
    String tooLarge = payloadLimit.resultTooLarge(result);
    if (tooLarge != null) {
      return fail(tenant, jobId, leaseId, tooLarge, false);
    }
    return ask(jobId, replyTo -> new JobEntity.Complete(tenant, leaseId, result, replyTo));
  }

  public CompletionStage<JobReply> fail(String tenant, String jobId, String leaseId, String error, boolean retryable) {
    return fail(tenant, jobId, leaseId, error, retryable, null);
  }

  /** A failure whose retry starts no sooner than {@code retryAfter} from now (null: the job's backoff alone). */
  public CompletionStage<JobReply> failRetryingAfter(String tenant, String jobId, String leaseId, String error, boolean retryable,
      Duration retryAfter) {
    return fail(tenant, jobId, leaseId, error, retryable, retryAfter == null ? null : clock.instant().plus(retryAfter));
  }

  /** A failure whose retry starts no sooner than {@code notBefore} (null: the job's backoff alone). */
  public CompletionStage<JobReply> fail(String tenant, String jobId, String leaseId, String error, boolean retryable, Instant notBefore) {
    return ask(jobId, replyTo -> new JobEntity.Fail(tenant, leaseId, error, retryable, notBefore, replyTo));
  }

  public CompletionStage<JobReply> handBack(String jobId, String leaseId) {
    return ask(jobId, replyTo -> new JobEntity.HandBack(leaseId, replyTo));
  }

  /**
   * Ends the attempt of a lost worker. The job's entity may have lived on the same lost node and be
   * moving to another one, when a message can vanish: the ask is repeated as {@link LostWorkerAsks}
   * says until the entity answers (either way); the lease deadline is the backstop after that.
   */
  public CompletionStage<JobReply> workerLost(String jobId, String leaseId) {
    return askUntilAnswered(jobId, replyTo -> new JobEntity.WorkerLost(leaseId, replyTo), giveUpAt());
  }

  /** Ends the attempt held on a node that left, asking again like {@link #workerLost}. */
  public CompletionStage<JobReply> workerNodeLost(String jobId, String node) {
    return askUntilAnswered(jobId, replyTo -> new JobEntity.WorkerNodeLost(node, replyTo), giveUpAt());
  }

  private long giveUpAt() {
    return System.nanoTime() + lostWorkerAsks.giveUpAfter().toNanos();
  }

  private CompletionStage<JobReply> askUntilAnswered(String jobId, Function<ActorRef<JobReply>, JobEntity.Command> command, long giveUpAt) {
    return Patterns.retry(() -> ask(jobId, command, lostWorkerAsks.timeout()),
        (reply, failure) -> failure != null && !(failure instanceof InvalidRequestException) && System.nanoTime() < giveUpAt,
        Integer.MAX_VALUE, lostWorkerAsks.retryDelay(), system);
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

  /** Retention: deletes the job if it is finished and unchanged since its event {@code seqNr} (see {@link JobEntity.Expire}). */
  public CompletionStage<JobReply> expire(String jobId, long seqNr) {
    return ask(jobId, replyTo -> new JobEntity.Expire(seqNr, replyTo));
  }

  private CompletionStage<JobReply> ask(String jobId, Function<ActorRef<JobReply>, JobEntity.Command> command) {
    return ask(jobId, command, askTimeout);
  }

  private CompletionStage<JobReply> ask(String jobId, Function<ActorRef<JobReply>, JobEntity.Command> command, Duration timeout) {
    if (!JobIds.isValid(jobId)) {
      return CompletableFuture.failedFuture(new InvalidRequestException("id", "must be a job id (a UUID)"));
    }
    return sharding.entityRefFor(JobEntity.TYPE_KEY, jobId).ask(command::apply, timeout);
  }
}
