package io.jobcluster.node.job;

import io.jobcluster.node.JobService;
import io.jobcluster.node.readmodel.JobQueries;
import io.jobcluster.node.readmodel.OverdueJob;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;

/**
 * The backstop for deadlines: every job's entity arms its own timer, and remembered entities
 * restart when their node dies, but should an entity not be running when its deadline passes, this
 * sweep (one instance in the cluster) finds it in the read model and wakes it with a read; the
 * entity recovers and fires what is due.
 */
public final class DeadlineSweeper {

  public interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Swept(List<OverdueJob> overdue, Throwable failure) implements Command {}

  /**
   * @param grace how long past its deadline a job must be before it is woken (timers fire first;
   *     the read model trails the journal by a second or two)
   */
  public record Settings(Duration interval, Duration grace, int limit) {}

  private DeadlineSweeper() {}

  public static void init(ActorSystem<?> system, JobQueries queries, JobService jobs, Settings settings) {
    ShardedDaemonProcess.get(system).init(Command.class, "deadline-sweeper", 1, instance -> create(queries, jobs, settings, Clock.systemUTC()));
  }

  static Behavior<Command> create(JobQueries queries, JobService jobs, Settings settings, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.setLoggerName(DeadlineSweeper.class);
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.interval());
      return Behaviors.receive(Command.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            context.pipeToSelf(queries.overdue(clock.instant().minus(settings.grace()), settings.limit()), Swept::new);
            return Behaviors.same();
          })
          .onMessage(Swept.class, swept -> {
            if (swept.failure() != null) {
              context.getLog().warn("deadline sweep failed error={}", swept.failure().toString());
            } else if (!swept.overdue().isEmpty()) {
              context.getLog().info("deadline sweep wakes overdue jobs count={} first={}", swept.overdue().size(), swept.overdue().get(0).jobId());
              swept.overdue().forEach(job -> jobs.get(null, job.jobId()));
            }
            return Behaviors.same();
          })
          .build();
    }));
  }
}
