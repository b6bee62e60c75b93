package io.jobcluster.node.job;

import static io.jobcluster.node.job.JobEntityFixture.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.protocol.BackoffPolicy;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobIds;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which jobs stay in memory, how a new job's entity starts, and how an entity leaves. */
class JobEntityMemoryTest {
  @RegisterExtension
  static final JobEntityFixture fixture = new JobEntityFixture();

  private static final Duration HORIZON = Duration.ofMinutes(5);
  private final JobEntitySettings settings = new JobEntitySettings(fixture.clock, () -> 0.5, Duration.ofSeconds(30), HORIZON, 3, "",
      JobReadyListener.NONE, JobEventObserver.NONE);
  private final TestProbe<ClusterSharding.ShardCommand> shard = fixture.testKit.createTestProbe();
  private final TestProbe<JobReply> replies = fixture.testKit.createTestProbe();

  @Test
  void aNewJobStartsFromItsSubmissionAndALaterIncarnationRecoversIt() {
    String id = JobIds.random();
    ActorRef<JobEntity.Command> first = fixture.testKit.spawn(JobEntity.create(id, settings, shard.getRef()));
    first.tell(new JobEntity.Submit(TENANT, fixture.spec(JobRequest.of("noop")), true, replies.getRef()));
    assertTrue(assertInstanceOf(JobReply.Accepted.class, replies.receiveMessage()).created());
    first.tell(new JobEntity.Get(TENANT, replies.getRef()));
    assertEquals(JobStatus.PENDING, assertInstanceOf(JobReply.Accepted.class, replies.receiveMessage()).job().status());

    first.tell(JobEntity.Stop.INSTANCE);
    replies.expectTerminated(first);

    ActorRef<JobEntity.Command> again = fixture.testKit.spawn(JobEntity.create(id, settings, shard.getRef()));
    again.tell(new JobEntity.Get(TENANT, replies.getRef()));
    JobReply.Accepted recovered = assertInstanceOf(JobReply.Accepted.class, replies.receiveMessage());
    assertEquals(id, recovered.job().id());
    assertEquals(JobStatus.PENDING, recovered.job().status());
  }

  @Test
  void aJobThatWaitsBeyondTheHorizonLeavesMemoryAndOneWithinItStays() {
    ActorRef<JobEntity.Command> far = submitted(JobRequest.of("noop").withDelaySeconds(HORIZON.toSeconds() + 1));
    assertEquals(far, assertInstanceOf(ClusterSharding.Passivate.class, shard.receiveMessage()).entity());

    submitted(JobRequest.of("noop").withDelaySeconds(HORIZON.toSeconds()));
    shard.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aJobThatRetriesBeyondTheHorizonLeavesMemoryAfterItsFailure() {
    ActorRef<JobEntity.Command> job = submitted(JobRequest.of("noop").withBackoff(BackoffPolicy.exponential(3600, 2, 3600)));
    job.tell(new JobEntity.Lease("lease-1", "worker", "node", null, replies.getRef()));
    replies.receiveMessage();
    shard.expectNoMessage(Duration.ofMillis(100));

    job.tell(new JobEntity.Fail(null, "lease-1", "boom", true, replies.getRef()));
    assertEquals(JobStatus.RETRYING, assertInstanceOf(JobReply.Accepted.class, replies.receiveMessage()).job().status());
    assertEquals(job, assertInstanceOf(ClusterSharding.Passivate.class, shard.receiveMessage()).entity());
  }

  @Test
  void anIdWithoutAJobLeavesMemoryRightAfterAnsweringNotFound() {
    // The idle timeout here is 30 s: only the answer itself can ask to passivate this soon.
    ActorRef<JobEntity.Command> unknown = fixture.testKit.spawn(JobEntity.create(JobIds.random(), settings, shard.getRef()));
    unknown.tell(new JobEntity.Cancel(TENANT, "guess", replies.getRef()));
    assertEquals(ErrorCode.NOT_FOUND, assertInstanceOf(JobReply.Rejected.class, replies.receiveMessage()).error());
    assertEquals(unknown, assertInstanceOf(ClusterSharding.Passivate.class, shard.receiveMessage(Duration.ofSeconds(5))).entity());
  }

  @Test
  void anotherTenantsActiveJobStaysInMemoryAfterAnsweringNotFound() {
    ActorRef<JobEntity.Command> job = submitted(JobRequest.of("noop"));
    job.tell(new JobEntity.Get("another-tenant", replies.getRef()));
    assertEquals(ErrorCode.NOT_FOUND, assertInstanceOf(JobReply.Rejected.class, replies.receiveMessage()).error());
    shard.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aFinishedJobLeavesMemoryAfterItWasIdle() {
    ActorRef<JobEntity.Command> job = submitted(JobRequest.of("noop"));
    job.tell(new JobEntity.Cancel(TENANT, "not needed", replies.getRef()));
    replies.receiveMessage();
    shard.expectNoMessage(Duration.ofMillis(100));

    fixture.timePasses(settings.finishedIdleTimeout());
    assertEquals(job, assertInstanceOf(ClusterSharding.Passivate.class, shard.receiveMessage()).entity());
  }

  private ActorRef<JobEntity.Command> submitted(JobRequest request) {
    ActorRef<JobEntity.Command> job = fixture.testKit.spawn(JobEntity.create(JobIds.random(), settings, shard.getRef()));
    job.tell(new JobEntity.Submit(TENANT, fixture.spec(request), true, replies.getRef()));
    assertInstanceOf(JobReply.Accepted.class, replies.receiveMessage());
    return job;
  }
}
