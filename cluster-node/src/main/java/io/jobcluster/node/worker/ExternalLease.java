package io.jobcluster.node.worker;

import io.jobcluster.node.JobService;
import io.jobcluster.node.dispatch.QueueDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * One long-poll lease of an external (HTTP) worker: for up to {@code wait} it acts as a pool with
 * {@code max} slots bound to the worker's tenant, then hands what it got to the HTTP answer and
 * tells the dispatcher that those leases moved on (their lease deadlines guard them from then on).
 * Assignments that arrive after the window closed are handed back at once.
 */
public final class ExternalLease {

  /** Not sealed: {@link Assigned} is shared with in-cluster pools. */
  public interface Command {}

  private enum Close implements Command {
    INSTANCE
  }

  private enum Stop implements Command {
    INSTANCE
  }

  /** How long a closed window stays to hand back assignments that were already on their way. */

  private ExternalLease() {}

  /**
   * @param types the job types the worker takes (empty: every type)
   * @param linger how long assignments that arrive after the answer are still handed back before the actor stops
   * @param result completed with the leased jobs when {@code max} arrived or {@code wait} passed
   */
  public static Behavior<Command> create(String queue, String tenant, String workerId, Set<String> types, int max, Duration wait, Duration linger,
      JobService jobs, CompletableFuture<List<LeasedAttempt>> result) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      var dispatcher = ClusterSharding.get(context.getSystem()).entityRefFor(QueueDispatcher.TYPE_KEY, queue);
      ActorRef<Assigned> self = context.getSelf().narrow();
      List<LeasedAttempt> leased = new ArrayList<>();
      dispatcher.tell(QueueDispatcher.RequestWork.first(QueueDispatcher.Requester.externalLease(self, workerId, tenant, types), max));
      timers.startSingleTimer(Close.INSTANCE, wait);
      Runnable close = () -> {
        if (!result.isDone()) {
          dispatcher.tell(new QueueDispatcher.PoolLeaving(self, true));
          result.complete(List.copyOf(leased));
          timers.startSingleTimer(Stop.INSTANCE, linger);
        }
      };
      return Behaviors.receive(Command.class)
          .onMessage(Assigned.class, assigned -> {
            if (result.isDone()) {
              jobs.handBack(assigned.job().jobId().value(), assigned.job().leaseId().value());
            } else {
              leased.add(assigned.job());
              if (leased.size() >= max) {
                close.run();
              }
            }
            return Behaviors.same();
          })
          .onMessageEquals(Close.INSTANCE, () -> {
            close.run();
            return Behaviors.same();
          })
          .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
          .build();
    }));
  }
}
