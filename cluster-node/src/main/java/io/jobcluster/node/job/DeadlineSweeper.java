package io.jobcluster.node.job;

import io.jobcluster.node.JobService;
import io.jobcluster.node.readmodel.DueJob;
import io.jobcluster.node.readmodel.JobQueries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;

/**
 * Wakes jobs that are not in memory when their deadlines come (one instance in the cluster). Two
 * reads of the read model each {@code interval}:
 * <ul>
 *   <li>the window: SCHEDULED and RETRYING jobs whose deadline is within the wake horizon. Such jobs
 *       leave memory while their deadline is further away ({@link JobEntity}); woken, they arm their
 *       timer. The window moves on with a cursor, so each job is woken about once: a full page goes
 *       on at once after its last job; a window that was read to its end starts the next one
 *       {@code grace} before its end, since the read model trails the journal by a second or two.
 *   <li>the backstop: any active job whose deadline passed more than {@code grace} ago. Its entity
 *       should have acted; it did not run (its node died, or it never woke), so it is woken now.
 * </ul>
 */
public final class DeadlineSweeper {

  public interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record WindowRead(Instant until, List<DueJob> due, Throwable failure) implements Command {}

  /** Where the window goes on from: after the job {@code id} at {@code at}, or (id null) after {@code at} less the grace. */
  private record Cursor(Instant at, String id) {}

  private record OverdueRead(List<DueJob> overdue, Throwable failure) implements Command {}

  /**
   * @param horizon how far ahead jobs are woken (the entities' {@code wake-horizon})
   * @param grace how far back the window reaches, and how long past its deadline a job must be for
   *     the backstop (timers fire first; the read model trails the journal)
   * @param limit jobs read per query; a full window continues from its last deadline next time
   */
  public record Settings(Duration interval, Duration horizon, Duration grace, int limit) {}

  private DeadlineSweeper() {}

  public static void init(ActorSystem<?> system, JobQueries queries, JobService jobs, Settings settings) {
    ShardedDaemonProcess.get(system).init(Command.class, "deadline-sweeper", 1, instance -> create(queries, jobs, settings, Clock.systemUTC()));
  }

  static Behavior<Command> create(JobQueries queries, JobService jobs, Settings settings, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.setLoggerName(DeadlineSweeper.class);
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.interval());
      context.getSelf().tell(Tick.INSTANCE);
      return new Sweep(context, queries, jobs, settings, clock).sweeping(null);
    }));
  }

  /** One sweeper's reads and wakes; the cursor is where the window last ended (null: not yet). */
  private record Sweep(ActorContext<Command> context, JobQueries queries, JobService jobs, Settings settings, Clock clock) {

    Behavior<Command> sweeping(Cursor cursor) {
      return Behaviors.receive(Command.class)
          .onMessageEquals(Tick.INSTANCE, () -> tick(cursor))
          .onMessage(WindowRead.class, read -> windowRead(cursor, read))
          .onMessage(OverdueRead.class, this::overdueRead)
          .build();
    }

    private Behavior<Command> tick(Cursor cursor) {
      Instant now = clock.instant();
      readWindow(cursor, now.plus(settings.horizon()));
      context.pipeToSelf(queries.overdue(now.minus(settings.grace()), settings.limit()), OverdueRead::new);
      return Behaviors.same();
    }

    private void readWindow(Cursor cursor, Instant until) {
      Instant afterAt = cursor == null ? null : cursor.id() == null ? cursor.at().minus(settings.grace()) : cursor.at();
      String afterId = cursor == null ? null : cursor.id();
      context.pipeToSelf(queries.waitingUntil(afterAt, afterId, until, settings.limit()), (due, failure) -> new WindowRead(until, due, failure));
    }

    private Behavior<Command> windowRead(Cursor cursor, WindowRead read) {
      if (read.failure() != null) {
        context.getLog().warn("deadline sweep could not read the waiting jobs error={}", read.failure().toString());
        return Behaviors.same();
      }
      read.due().forEach(job -> jobs.wake(job.jobId()));
      context.getLog().debug("deadline sweep woke waiting jobs count={} until={}", read.due().size(), read.until());
      if (read.due().size() >= settings.limit()) {
        DueJob last = read.due().get(read.due().size() - 1);
        Cursor next = new Cursor(last.deadlineAt(), last.jobId());
        readWindow(next, read.until());
        return sweeping(next);
      }
      return sweeping(new Cursor(read.until(), null));
    }

    private Behavior<Command> overdueRead(OverdueRead read) {
      if (read.failure() != null) {
        context.getLog().warn("deadline sweep failed error={}", read.failure().toString());
      } else if (!read.overdue().isEmpty()) {
        context.getLog().info("deadline sweep wakes overdue jobs count={} first={}", read.overdue().size(), read.overdue().get(0).jobId());
        read.overdue().forEach(job -> jobs.wake(job.jobId()));
      }
      return Behaviors.same();
    }
  }
}
