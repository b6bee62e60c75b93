package io.jobcluster.node.job;

import static io.jobcluster.node.job.JobEntityFixture.TENANT;
import static io.jobcluster.node.job.JobEntityFixture.accepted;
import static io.jobcluster.node.job.JobEntityFixture.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobTransitions;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Puts a job into every status, tries every command and every passing of time on it, and checks
 * the result against {@link JobTransitions}: an allowed change persists exactly one event, anything
 * else is rejected as {@code invalid_transition} and persists nothing. Every pair of statuses is
 * accounted for.
 */
class JobTransitionTableTest {
  private static final String LEASE = "lease-1";
  private static final JobRequest REQUEST = JobRequest.of("noop").withMaxAttempts(2).withTimeoutSeconds(60).withTtlSeconds(86_400L);

  @RegisterExtension
  static final JobEntityFixture fixture = new JobEntityFixture();

  /** A command and the status it asks for. */
  private record Action(String name, JobStatus target, Function<ActorRef<JobReply>, JobEntity.Command> command) {}

  private static final Set<Action> COMMANDS = Set.of(
      new Action("lease", JobStatus.RUNNING, replyTo -> new JobEntity.Lease("lease-2", "worker-2", "node-b", null, replyTo)),
      new Action("complete", JobStatus.COMPLETED, replyTo -> new JobEntity.Complete(null, LEASE, "{}", replyTo)),
      new Action("fail retryable", JobStatus.RETRYING, replyTo -> new JobEntity.Fail(null, LEASE, "boom", true, replyTo)),
      new Action("fail for good", JobStatus.FAILED, replyTo -> new JobEntity.Fail(null, LEASE, "boom", false, replyTo)),
      new Action("worker lost", JobStatus.RETRYING, replyTo -> new JobEntity.WorkerLost(LEASE, replyTo)),
      new Action("worker node lost", JobStatus.RETRYING, replyTo -> new JobEntity.WorkerNodeLost("node-a", replyTo)),
      new Action("hand back", JobStatus.PENDING, replyTo -> new JobEntity.HandBack(LEASE, replyTo)),
      new Action("redrive", JobStatus.PENDING, replyTo -> new JobEntity.Retry(TENANT, replyTo)),
      new Action("cancel", JobStatus.CANCELLED, replyTo -> new JobEntity.Cancel(TENANT, "test", replyTo)));

  /**
   * Time jumps: to just past the job's next deadline, and to just past the last deadline of its
   * status at once (as when its node was down through all of them).
   */
  private static final Map<String, BiFunction<JobState.Job, JobEntityFixture, Duration>> TIME_JUMPS = Map.of(
      "next deadline", (job, f) -> Duration.between(f.clock.instant(), job.nextDeadline()).plusMillis(1),
      "all deadlines", (job, f) -> Duration.between(f.clock.instant(), lastDeadline(job)).plusMillis(1));

  private static Instant lastDeadline(JobState.Job job) {
    if (job instanceof JobState.Running running) {
      return running.lease().expiresAt();
    } else if (job instanceof JobState.Retrying retrying) {
      return retrying.retryAt().isAfter(job.spec().expiresAt()) ? retrying.retryAt() : job.spec().expiresAt();
    }
    return job.spec().expiresAt();
  }

  /**
   * Every persisted event carries the facts of the state it leads to: what the read model, the
   * history and the metrics copy must be what the entity folded.
   */
  private static void assertEventsCarryTheirFacts(EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobState> kit, String context) {
    JobState state = JobState.NoJob.INSTANCE;
    for (Object persisted : kit.persistenceTestKit().persistedInStorage(
        PersistenceId.of(JobEntity.TYPE_KEY.name(), ((JobState.Job) kit.getState()).id()).id())) {
      JobEvent event = (JobEvent) persisted;
      state = JobState.after(state, event);
      JobState.Job job = (JobState.Job) state;
      String step = context + ", " + event.getClass().getSimpleName();
      assertEquals(job.status(), event.to(), step + ": status after");
      assertEquals(job.attempts(), event.attempts(), step + ": attempts charged");
      assertEquals(job.nextDeadline(), event.deadline(), step + ": next deadline");
    }
  }

  @Test
  void everyPairOfStatusesIsEitherAnAllowedTransitionOrRejectedAndPersistsNothing() {
    Map<JobStatus, Set<JobStatus>> reached = new EnumMap<>(JobStatus.class);
    Map<JobStatus, Set<JobStatus>> rejected = new EnumMap<>(JobStatus.class);
    for (JobStatus from : JobStatus.values()) {
      reached.put(from, EnumSet.noneOf(JobStatus.class));
      rejected.put(from, EnumSet.noneOf(JobStatus.class));

      for (Action action : COMMANDS) {
        var kit = jobIn(from);
        var result = ask(kit, action.command());
        if (result.reply() instanceof JobReply.Accepted) {
          // The command persists one event; a deadline due at once (a lost worker's retry) may follow.
          JobEvent event = result.events().get(0);
          assertEquals(from, event.from(), action.name());
          assertTrue(JobTransitions.isAllowed(from, event.to()), from + " -> " + event.to() + " by " + action.name());
          reached.get(from).add(event.to());
          JobStatus last = event.to();
          for (JobEvent followUp : result.events().subList(1, result.events().size())) {
            assertEquals(last, followUp.from(), action.name());
            assertTrue(JobTransitions.isAllowed(followUp.from(), followUp.to()), followUp.toString());
            last = followUp.to();
          }
          assertEquals(last, status(kit), action.name());
          assertEventsCarryTheirFacts(kit, from + " " + action.name());
        } else {
          JobReply.Rejected reply = assertInstanceOf(JobReply.Rejected.class, result.reply());
          assertEquals(ErrorCode.INVALID_TRANSITION, reply.error(), from + " " + action.name() + ": " + reply.message());
          assertEquals(from, reply.from());
          assertEquals(action.target(), reply.to());
          assertTrue(result.hasNoEvents(), from + " " + action.name());
          assertEquals(from, status(kit));
          rejected.get(from).add(action.target());
        }
      }

      for (var jump : TIME_JUMPS.entrySet()) {
        var kit = jobIn(from);
        JobState.Job before = (JobState.Job) kit.getState();
        if (before.nextDeadline() == null) {
          fixture.timePasses(Duration.ofDays(2));
          assertEquals(from, status(kit), from + " has no deadline and must not change with time");
          continue;
        }
        fixture.timePasses(jump.getValue().apply(before, fixture));
        JobStatus after = status(kit);
        assertTrue(JobTransitions.isAllowed(from, after), from + " -> " + after + " after " + jump.getKey());
        assertEventsCarryTheirFacts(kit, from + " after " + jump.getKey());
        reached.get(from).add(after);
      }

      var kit = jobIn(from);
      var resubmit = ask(kit, replyTo -> new JobEntity.Submit(TENANT, fixture.spec(REQUEST), false, replyTo));
      assertTrue(resubmit.hasNoEvents(), "a repeated submission never changes a job; nothing moves a job back to SCHEDULED");
    }

    for (JobStatus from : JobStatus.values()) {
      assertEquals(JobTransitions.allowedFrom(from), reached.get(from), "transitions reached from " + from);
      Set<JobStatus> forbidden = EnumSet.complementOf(EnumSet.copyOf(JobTransitions.allowedFrom(from).isEmpty()
          ? EnumSet.noneOf(JobStatus.class) : JobTransitions.allowedFrom(from)));
      for (JobStatus to : forbidden) {
        boolean requestedAndRejected = rejected.get(from).contains(to);
        // Only a submission creates SCHEDULED, and only the passing of time creates EXPIRED:
        // no command asks for either, and the jumps above never reached a forbidden one.
        boolean noCommandAsksForIt = to == JobStatus.SCHEDULED || to == JobStatus.EXPIRED;
        assertTrue(requestedAndRejected || noCommandAsksForIt, from + " -> " + to + " was neither tried nor rejected");
        assertFalse(reached.get(from).contains(to), from + " -> " + to + " happened");
      }
    }
  }

  private static JobStatus status(EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobState> kit) {
    return ((JobState.Job) kit.getState()).status();
  }

  /** A new job driven into {@code status} through the entity's own commands and timers. */
  private static EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobState> jobIn(JobStatus status) {
    var kit = fixture.newJob();
    JobRequest request = status == JobStatus.SCHEDULED || status == JobStatus.EXPIRED ? REQUEST.withDelaySeconds(60L) : REQUEST;
    accepted(ask(kit, replyTo -> new JobEntity.Submit(TENANT, fixture.spec(request), false, replyTo)));
    switch (status) {
      case SCHEDULED, PENDING -> { }
      case EXPIRED -> fixture.timePasses(Duration.ofDays(2));
      case CANCELLED -> accepted(ask(kit, replyTo -> new JobEntity.Cancel(TENANT, null, replyTo)));
      default -> {
        accepted(ask(kit, replyTo -> new JobEntity.Lease(LEASE, "worker-1", "node-a", null, replyTo)));
        switch (status) {
          case RETRYING -> accepted(ask(kit, replyTo -> new JobEntity.Fail(null, LEASE, "boom", true, replyTo)));
          case FAILED -> accepted(ask(kit, replyTo -> new JobEntity.Fail(null, LEASE, "boom", false, replyTo)));
          case COMPLETED -> accepted(ask(kit, replyTo -> new JobEntity.Complete(null, LEASE, null, replyTo)));
          default -> { }
        }
      }
    }
    assertEquals(status, status(kit), "setting up a " + status + " job");
    return kit;
  }
}
