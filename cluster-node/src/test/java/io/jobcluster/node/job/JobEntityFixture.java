package io.jobcluster.node.job;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobIds;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.JobView;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension holding one actor system with manual time and the in-memory journal for entity tests, and a test clock
 * the entity reads that moves together with the scheduler.
 */
final class JobEntityFixture implements AfterAllCallback {
  static final String TENANT = "acme";
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  final ActorTestKit testKit;
  final ManualTime manualTime;
  final MutableClock clock = new MutableClock(START);
  final JobEntitySettings settings;

  JobEntityFixture() {
    // The journal's circuit breaker runs on the (manual) scheduler: a jump of days while a write is
    // in flight would time it out, so its timeout is made longer than any jump.
    Config config = ConfigFactory.parseString(
            "pekko.persistence.testkit.journal.circuit-breaker.call-timeout = 3650d\n"
                + "pekko.persistence.testkit.snapshotstore.pluginid.circuit-breaker.call-timeout = 3650d")
        .withFallback(ManualTime.config())
        .withFallback(EventSourcedBehaviorTestKit.config())
        .withFallback(ConfigFactory.parseResources("serialization.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
    testKit = ActorTestKit.create("JobEntityTest", config);
    manualTime = ManualTime.get(testKit.system());
    // Jobs here never leave memory for a far deadline: the wake horizon is longer than any delay.
    settings = new JobEntitySettings(clock, () -> 0.5, Duration.ofSeconds(30), Duration.ofDays(400), 3, "", JobReadyListener.NONE,
        JobEventObserver.NONE);
  }

  EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobState> newJob() {
    return newJob(JobIds.random());
  }

  EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobState> newJob(String jobId) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), JobEntity.recovering(jobId, settings, null));
  }

  JobSpec spec(JobRequest request) {
    return JobSpec.from(request, clock.instant());
  }

  /** Moves the entity's clock and the actor scheduler forward together. */
  void timePasses(Duration duration) {
    clock.advance(duration);
    manualTime.timePasses(duration);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    testKit.shutdownTestKit();
  }

  /** Runs a command and types its reply (the test kit cannot infer it from a lambda alone). */
  static CommandResultWithReply<JobEntity.Command, JobEvent, JobState, JobReply> ask(
      EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobState> kit, Function<ActorRef<JobReply>, JobEntity.Command> command) {
    return kit.<JobReply>runCommand(command::apply);
  }

  static JobView accepted(CommandResultWithReply<JobEntity.Command, JobEvent, JobState, JobReply> result) {
    return assertInstanceOf(JobReply.Accepted.class, result.reply()).job();
  }

  static JobReply.Rejected rejected(CommandResultWithReply<JobEntity.Command, JobEvent, JobState, JobReply> result) {
    return assertInstanceOf(JobReply.Rejected.class, result.reply());
  }
}
