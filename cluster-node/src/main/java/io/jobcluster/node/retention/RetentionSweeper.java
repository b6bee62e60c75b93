package io.jobcluster.node.retention;

import io.jobcluster.node.JobService;
import io.jobcluster.node.readmodel.FinishedJob;
import io.jobcluster.node.readmodel.FinishedJobs;
import io.jobcluster.node.readmodel.FinishedJobs.After;
import io.jobcluster.node.readmodel.FinishedJobs.Cutoffs;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes finished jobs older than their retention (one instance in the cluster, moved to a
 * survivor when its node leaves). Each run reads the due jobs from the read model in batches, in
 * (finished_at, id) order, and asks each job's entity to {@link io.jobcluster.node.job.JobEntity.Expire
 * expire}: the entity deletes the job only if it is still finished and unchanged since the event the
 * read model showed, so a job redriven meanwhile is kept. The deletion event then lets the projection
 * remove the row, the events and the snapshots in one transaction (see {@code JournalPurge}). A run
 * that dies half-way leaves every job either whole or deleted; the next run picks up the rest.
 */
public final class RetentionSweeper {
  private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

  public interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private enum NextBatch implements Command {
    INSTANCE
  }

  private record BatchRead(List<FinishedJob> due, Throwable failure) implements Command {}

  private record BatchDone(Outcomes outcomes, After last, boolean full) implements Command {}

  private record RunEnded(Optional<Instant> oldest, Throwable failure) implements Command {}

  /** What a run has done so far. */
  private record Run(Instant startedAt, long startNanos, Cutoffs defaults, Map<String, Cutoffs> tenants, Outcomes outcomes, After after) {}

  /**
   * Jobs removed by status, jobs kept (changed since they were selected), jobs already gone (deleted
   * before, their row not yet removed by the projection) and asks that failed.
   */
  private record Outcomes(Map<JobStatus, Long> removed, long kept, long gone, long failed) {
    static Outcomes none() {
      return new Outcomes(Map.of(), 0, 0, 0);
    }

    long removedTotal() {
      return removed.values().stream().mapToLong(Long::longValue).sum();
    }

    Outcomes plus(Outcomes other) {
      Map<JobStatus, Long> sum = new EnumMap<>(JobStatus.class);
      removed.forEach((status, count) -> sum.merge(status, count, Long::sum));
      other.removed.forEach((status, count) -> sum.merge(status, count, Long::sum));
      return new Outcomes(Map.copyOf(sum), kept + other.kept, gone + other.gone, failed + other.failed);
    }
  }

  private enum Outcome {
    REMOVED, KEPT, GONE, FAILED
  }

  private RetentionSweeper() {}

  public static void init(ActorSystem<?> system, FinishedJobs finished, JobService jobs, RetentionSettings settings, RetentionMetrics metrics,
      Clock clock) {
    ShardedDaemonProcess.get(system).init(Command.class, "retention-sweeper", 1,
        instance -> create(finished, jobs::expire, settings, metrics, clock));
  }

  /** Deletes a job if it is unchanged since the given event; {@link JobService#expire} in the node. */
  @FunctionalInterface
  interface Expirer {
    CompletionStage<JobReply> expire(String jobId, long seqNr);
  }

  static Behavior<Command> create(FinishedJobs finished, Expirer expirer, RetentionSettings settings, RetentionMetrics metrics, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.setLoggerName(RetentionSweeper.class);
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.interval());
      context.getSelf().tell(Tick.INSTANCE);
      return new Sweep(context, timers, finished, expirer, settings, metrics, clock).idle();
    }));
  }

  private record Sweep(ActorContext<Command> context, TimerScheduler<Command> timers, FinishedJobs finished, Expirer expirer,
      RetentionSettings settings, RetentionMetrics metrics, Clock clock) {

    Behavior<Command> idle() {
      return Behaviors.receive(Command.class).onMessageEquals(Tick.INSTANCE, this::start).build();
    }

    private Behavior<Command> running(Run run) {
      return Behaviors.receive(Command.class)
          .onMessageEquals(Tick.INSTANCE, Behaviors::same) // the run in progress goes on; no second one beside it
          .onMessageEquals(NextBatch.INSTANCE, () -> readBatch(run))
          .onMessage(BatchRead.class, read -> batchRead(run, read))
          .onMessage(BatchDone.class, done -> batchDone(run, done))
          .onMessage(RunEnded.class, ended -> ended(run, ended))
          .build();
    }

    private Behavior<Command> start() {
      Instant now = clock.instant();
      RetentionPolicy policy = settings.policy();
      Run run = new Run(now, System.nanoTime(), policy.defaults().cutoffs(now), policy.tenantCutoffs(now), Outcomes.none(), null);
      return readBatch(run);
    }

    private Behavior<Command> readBatch(Run run) {
      context.pipeToSelf(finished.due(run.defaults(), run.tenants(), run.after(), settings.batchSize()), BatchRead::new);
      return running(run);
    }

    private Behavior<Command> batchRead(Run run, BatchRead read) {
      if (read.failure() != null) {
        context.getLog().warn("retention sweep could not read the finished jobs error={}", read.failure().toString());
        return end(run);
      }
      if (read.due().isEmpty()) {
        return end(run);
      }
      List<FinishedJob> due = read.due();
      After last = After.of(due.get(due.size() - 1));
      boolean full = due.size() >= settings.batchSize();
      CompletionStage<Outcomes> outcomes = Source.from(due)
          .mapAsyncUnordered(settings.parallelism(), this::expire)
          .runWith(Sink.fold(Outcomes.none(), Outcomes::plus), context.getSystem());
      context.pipeToSelf(outcomes, (done, failure) -> new BatchDone(failure == null ? done : new Outcomes(Map.of(), 0, 0, due.size()), last, full));
      return running(run);
    }

    /** One job's deletion, as an outcome (never a failed stage: one job's trouble does not stop the batch). */
    private CompletionStage<Outcomes> expire(FinishedJob job) {
      // On the actor system's dispatcher: a bare handle() on an ask's stage would start a thread per call.
      return expirer.expire(job.id(), job.lastSeqNr()).handleAsync((reply, failure) -> {
        Outcome outcome = outcome(reply, failure);
        switch (outcome) {
          case REMOVED -> metrics.removed(job.status());
          case KEPT -> metrics.kept();
          case GONE -> log.debug("retention found a job deleted already jobId={}", job.id());
          default -> log.debug("retention could not remove a job jobId={} error={}", job.id(), String.valueOf(failure));
        }
        return switch (outcome) {
          case REMOVED -> new Outcomes(Map.of(job.status(), 1L), 0, 0, 0);
          case KEPT -> new Outcomes(Map.of(), 1, 0, 0);
          case GONE -> new Outcomes(Map.of(), 0, 1, 0);
          default -> new Outcomes(Map.of(), 0, 0, 1);
        };
      }, context.getSystem().executionContext());
    }

    private static Outcome outcome(JobReply reply, Throwable failure) {
      if (failure != null) {
        return Outcome.FAILED;
      } else if (reply instanceof JobReply.Accepted) {
        return Outcome.REMOVED;
      }
      return reply instanceof JobReply.Rejected rejected && rejected.error() == ErrorCode.NOT_FOUND ? Outcome.GONE : Outcome.KEPT;
    }

    private Behavior<Command> batchDone(Run run, BatchDone done) {
      Run next = new Run(run.startedAt(), run.startNanos(), run.defaults(), run.tenants(), run.outcomes().plus(done.outcomes()), done.last());
      if (!done.full()) {
        return end(next);
      }
      // Leave the database to the hot path a moment before the next batch.
      timers.startSingleTimer(NextBatch.INSTANCE, settings.batchPause());
      return running(next);
    }

    private Behavior<Command> end(Run run) {
      context.pipeToSelf(finished.oldestFinish(), RunEnded::new);
      return running(run);
    }

    private Behavior<Command> ended(Run run, RunEnded ended) {
      Duration took = Duration.ofNanos(System.nanoTime() - run.startNanos());
      Outcomes outcomes = run.outcomes();
      Instant oldest = ended.failure() == null ? ended.oldest().orElse(null) : null;
      metrics.runEnded(took, outcomes.removedTotal(), oldest);
      context.getLog().info("retention run removed={} byStatus={} kept={} alreadyGone={} failed={} tookMs={} oldestFinishedAt={}",
          outcomes.removedTotal(), outcomes.removed(), outcomes.kept(), outcomes.gone(), outcomes.failed(), took.toMillis(), oldest);
      return idle();
    }
  }
}
