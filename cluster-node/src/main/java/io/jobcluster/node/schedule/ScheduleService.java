package io.jobcluster.node.schedule;

import io.jobcluster.node.json.NodeJson;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.wire.ScheduleJson;
import io.jobcluster.protocol.wire.ScheduleRequest;
import io.jobcluster.protocol.wire.ScheduleRun;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.Patterns;

/**
 * The one way into schedules for the routes: validates requests (a bad one fails the stage with
 * {@link InvalidRequestException} and nothing is created), talks to the schedule entities and the
 * tenant's {@link ScheduleDirectory}, and writes the views. A schedule belongs to the tenant of the
 * key that created it; its entity id holds the tenant, so another tenant cannot reach it.
 */
public final class ScheduleService {
  /** How many fire times a view shows. */
  static final int NEXT_FIRE_TIMES = 5;
  private static final int CREATE_ATTEMPTS = 10;
  private static final Duration CREATE_RETRY_DELAY = Duration.ofMillis(200);

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final ScheduleJobs jobs;
  private final Consumer<JobRequest> jobValidator;
  private final Clock clock;
  private final Duration askTimeout;

  /** @param jobValidator checks a job template as a submission would (throws {@link InvalidRequestException}) */
  public ScheduleService(ActorSystem<?> system, ScheduleJobs jobs, Consumer<JobRequest> jobValidator, Clock clock, Duration askTimeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.jobs = jobs;
    this.jobValidator = jobValidator;
    this.clock = clock;
    this.askTimeout = askTimeout;
  }

  /** Creates a schedule; the same request again (with its id) answers the existing one, {@code created} false. */
  public CompletionStage<ScheduleReply> create(String tenant, ScheduleRequest request) {
    String id = ScheduleIds.checked(request.id());
    ScheduleDefinition definition = definition(request.cron(), request.intervalSeconds(), request.timeZone(), request.job(), request.misfire(),
        request.overlap(), request.startAt(), request.endAt());
    boolean paused = Boolean.TRUE.equals(request.paused());
    // An entity that is leaving memory (its schedule just deleted) refuses a create until the shard starts it afresh.
    return directory(tenant).<org.apache.pekko.Done>ask(replyTo -> new ScheduleDirectory.Add(id, replyTo), askTimeout)
        .thenCompose(added -> Patterns.retry(() -> ask(tenant, id, replyTo -> new ScheduleEntity.Create(definition, paused, replyTo)),
            (reply, failure) -> reply instanceof ScheduleReply.Rejected rejected && rejected.error() == ErrorCode.UNAVAILABLE,
            CREATE_ATTEMPTS, CREATE_RETRY_DELAY, system));
  }

  public CompletionStage<ScheduleReply> get(String tenant, String id) {
    return ask(tenant, id, ScheduleEntity.Get::new);
  }

  /**
   * Changes a schedule: the fields {@code patch} gives replace the current ones ({@code cron} and
   * {@code intervalSeconds} replace each other); the result is validated like a creation.
   */
  public CompletionStage<ScheduleReply> change(String tenant, String id, ScheduleRequest patch) {
    if (patch.id() != null && !patch.id().equals(id)) {
      throw new InvalidRequestException("id", "a schedule's id cannot be changed");
    }
    if (patch.paused() != null) {
      throw new InvalidRequestException("paused", "use POST /v1/schedules/{id}/pause or /resume");
    }
    return get(tenant, id).thenCompose(reply -> {
      if (!(reply instanceof ScheduleReply.Accepted current)) {
        return CompletableFuture.completedFuture(reply);
      }
      ScheduleDefinition was = current.schedule().definition();
      boolean newTrigger = patch.cron() != null || patch.intervalSeconds() != null;
      ScheduleDefinition changed = definition(newTrigger ? patch.cron() : was.cron(), newTrigger ? patch.intervalSeconds() : was.intervalSeconds(),
          or(patch.timeZone(), was.timeZone()), patch.job() != null ? patch.job() : template(was), or(patch.misfire(), was.misfire().wireName()),
          or(patch.overlap(), was.overlap().wireName()), or(patch.startAt(), was.startAt()), or(patch.endAt(), was.endAt()));
      return ask(tenant, id, replyTo -> new ScheduleEntity.Change(changed, replyTo));
    });
  }

  public CompletionStage<ScheduleReply> pause(String tenant, String id) {
    return ask(tenant, id, ScheduleEntity.Pause::new);
  }

  public CompletionStage<ScheduleReply> resume(String tenant, String id) {
    return ask(tenant, id, ScheduleEntity.Resume::new);
  }

  /** Deletes the schedule (fires not yet submitted are dropped), then its id from the tenant's directory. */
  public CompletionStage<ScheduleReply> delete(String tenant, String id) {
    return ask(tenant, id, ScheduleEntity.Delete::new).thenCompose(reply -> reply instanceof ScheduleReply.Accepted
        ? directory(tenant).<org.apache.pekko.Done>ask(replyTo -> new ScheduleDirectory.Remove(id, replyTo), askTimeout).thenApply(done -> reply)
        : CompletableFuture.completedFuture(reply));
  }

  /** The tenant's schedules, by id. */
  public CompletionStage<List<ScheduleReply.Accepted>> list(String tenant) {
    return directory(tenant).<ScheduleDirectory.Listed>ask(ScheduleDirectory.ListIds::new, askTimeout).thenCompose(listed -> {
      List<CompletableFuture<ScheduleReply>> schedules = listed.ids().stream().map(id -> get(tenant, id).toCompletableFuture()).toList();
      return CompletableFuture.allOf(schedules.toArray(CompletableFuture[]::new)).thenApply(all -> schedules.stream()
          .map(CompletableFuture::join).filter(ScheduleReply.Accepted.class::isInstance).map(ScheduleReply.Accepted.class::cast).toList());
    });
  }

  /** The schedule as the API shows it, with its runs' job statuses looked up now (null where the job does not answer). */
  public CompletionStage<ScheduleJson> view(String tenant, ScheduleReply.Accepted accepted) {
    ScheduleState state = accepted.schedule();
    ScheduleDefinition definition = state.definition();
    List<Instant> next = new ArrayList<>();
    if (state.firing()) {
      next.add(state.nextFireAt());
      next.addAll(definition.timing(state.createdAt()).next(state.nextFireAt(), NEXT_FIRE_TIMES - 1));
    }
    List<CompletableFuture<ScheduleRun>> runs = state.runs().stream().map(run -> run(tenant, run).toCompletableFuture()).toList();
    return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).thenApply(all -> new ScheduleJson(accepted.id(), definition.cron(),
        definition.intervalSeconds(), definition.timeZone(), template(definition), definition.misfire().wireName(), definition.overlap().wireName(),
        state.paused(), definition.startAt(), definition.endAt(), state.createdAt(), state.updatedAt(), next,
        runs.stream().map(CompletableFuture::join).toList()));
  }

  private CompletionStage<ScheduleRun> run(String tenant, ScheduleState.Run run) {
    if (!run.submitted() || run.error() != null) {
      return CompletableFuture.completedFuture(new ScheduleRun(run.fireTime(), run.jobId(), null, run.error()));
    }
    return jobs.get(tenant, run.jobId()).handle((reply, failure) -> new ScheduleRun(run.fireTime(), run.jobId(),
        reply instanceof JobReply.Accepted job ? job.job().status() : null, null));
  }

  private ScheduleDefinition definition(String cron, Long intervalSeconds, String timeZone, JobRequest job, String misfire, String overlap,
      Instant startAt, Instant endAt) {
    ScheduleTiming.of(cron, intervalSeconds, timeZone, startAt, endAt, clock.instant());
    MisfirePolicy misfirePolicy = MisfirePolicy.parse(misfire);
    OverlapPolicy overlapPolicy = OverlapPolicy.parse(overlap);
    checkJob(job);
    return new ScheduleDefinition(cron == null ? null : cron.trim(), intervalSeconds, timeZone == null ? "UTC" : timeZone, NodeJson.write(job),
        misfirePolicy, overlapPolicy, startAt, endAt);
  }

  private void checkJob(JobRequest job) {
    if (job == null) {
      throw new InvalidRequestException("job", "a schedule needs the job it submits");
    }
    if (job.runAt() != null) {
      throw new InvalidRequestException("job.runAt", "a scheduled job runs at its fire time; use delaySeconds to run later");
    }
    if (job.idempotencyKey() != null) {
      throw new InvalidRequestException("job.idempotencyKey", "a schedule derives its jobs' keys from the schedule and the fire time");
    }
    try {
      jobValidator.accept(job);
    } catch (InvalidRequestException e) {
      String prefix = e.field() + ": ";
      String message = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
      throw new InvalidRequestException("job." + e.field(), message);
    }
  }

  private static JobRequest template(ScheduleDefinition definition) {
    try {
      return NodeJson.mapper().readValue(definition.job(), JobRequest.class);
    } catch (IOException e) {
      throw new IllegalStateException("a stored job template does not read back: " + e.getMessage(), e);
    }
  }

  private static <T> T or(T value, T otherwise) {
    return value != null ? value : otherwise;
  }

  private CompletionStage<ScheduleReply> ask(String tenant, String id, Function<ActorRef<ScheduleReply>, ScheduleEntity.Command> command) {
    if (!ScheduleIds.isValid(id)) {
      return CompletableFuture.completedFuture(new ScheduleReply.Rejected(ErrorCode.NOT_FOUND, "no schedule with that id"));
    }
    return sharding.entityRefFor(ScheduleEntity.TYPE_KEY, ScheduleIds.entityId(tenant, id)).ask(command::apply, askTimeout);
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<ScheduleDirectory.Command> directory(String tenant) {
    return sharding.entityRefFor(ScheduleDirectory.TYPE_KEY, tenant);
  }
}
