package io.jobcluster.node.job;

import static io.jobcluster.node.job.JobEntityFixture.TENANT;
import static io.jobcluster.node.job.JobEntityFixture.accepted;
import static io.jobcluster.node.job.JobEntityFixture.ask;
import static io.jobcluster.node.job.JobEntityFixture.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import java.util.List;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.testkit.SnapshotMeta;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retention's deletion: only a finished job unchanged since the event the sweep saw is deleted. */
class JobEntityExpireTest {
  @RegisterExtension
  static final JobEntityFixture fixture = new JobEntityFixture();

  private static final JobRequest JOB = JobRequest.of("noop").withMaxAttempts(1);

  @Test
  void expireDeletesOnlyAFinishedJobUnchangedSinceTheSelectedEvent() {
    var kit = fixture.newJob();
    accepted(ask(kit, replyTo -> new JobEntity.Submit(TENANT, fixture.spec(JOB), false, replyTo)));   // seq 1
    accepted(ask(kit, replyTo -> new JobEntity.Lease("lease-1", "worker-1", "node-a", null, replyTo)));   // seq 2
    var early = ask(kit, replyTo -> new JobEntity.Expire(2, replyTo));
    assertEquals(ErrorCode.INVALID_TRANSITION, rejected(early).error(), "a running job is never expired");
    assertTrue(early.hasNoEvents());

    accepted(ask(kit, replyTo -> new JobEntity.Fail(null, "lease-1", "boom", false, replyTo)));   // seq 3: FAILED
    assertEquals(ErrorCode.INVALID_TRANSITION, rejected(ask(kit, replyTo -> new JobEntity.Expire(2, replyTo))).error(),
        "selected before it failed: the sweep saw an older event");

    // Redriven from the dead-letter list after the sweep selected it as FAILED at seq 3.
    accepted(ask(kit, replyTo -> new JobEntity.Retry(TENANT, replyTo)));   // seq 4
    var redriven = ask(kit, replyTo -> new JobEntity.Expire(3, replyTo));
    assertEquals(ErrorCode.INVALID_TRANSITION, rejected(redriven).error());
    assertTrue(redriven.hasNoEvents());
    accepted(ask(kit, replyTo -> new JobEntity.Lease("lease-2", "worker-1", "node-a", null, replyTo)));   // seq 5
    accepted(ask(kit, replyTo -> new JobEntity.Complete(null, "lease-2", null, replyTo)));   // seq 6: COMPLETED
    assertEquals(ErrorCode.INVALID_TRANSITION, rejected(ask(kit, replyTo -> new JobEntity.Expire(3, replyTo))).error(),
        "finished again, but later than the sweep saw it");

    var expired = ask(kit, replyTo -> new JobEntity.Expire(6, replyTo));
    assertEquals(JobStatus.COMPLETED, accepted(expired).status());
    JobEvent.Deleted deleted = assertInstanceOf(JobEvent.Deleted.class, expired.event());
    assertEquals(JobStatus.COMPLETED, deleted.from());

    assertEquals(ErrorCode.NOT_FOUND, rejected(ask(kit, replyTo -> new JobEntity.Expire(7, replyTo))).error(), "deleted: nothing to expire");
    assertEquals(ErrorCode.NOT_FOUND, rejected(ask(kit, replyTo -> new JobEntity.Get(TENANT, replyTo))).error());
    kit.restart();
    assertInstanceOf(JobState.NoJob.class, kit.getState());
  }

  /**
   * A recovery between the two steps of the purge (JournalPurge) reads a snapshot taken while the
   * job ran and then only the deletion event: it ends with no job and writes nothing. Before, the
   * purge could leave it the snapshot alone, and the entity renewed the lease of a removed job.
   */
  @Test
  void aRecoveryThatReadsASnapshotOfTheRunningJobAndThenOnlyItsDeletionEndsWithNoJob() {
    var kit = fixture.newJob();
    accepted(ask(kit, replyTo -> new JobEntity.Submit(TENANT, fixture.spec(JOB), false, replyTo)));   // seq 1
    accepted(ask(kit, replyTo -> new JobEntity.Lease("lease-1", "worker-1", "node-a", null, replyTo)));   // seq 2
    JobState.Running running = assertInstanceOf(JobState.Running.class, kit.getState());
    accepted(ask(kit, replyTo -> new JobEntity.Complete(null, "lease-1", null, replyTo)));   // seq 3
    JobEvent.Deleted deletion = assertInstanceOf(JobEvent.Deleted.class, ask(kit, replyTo -> new JobEntity.Expire(3, replyTo)).event());

    String persistenceId = PersistenceId.of(JobEntity.TYPE_KEY.name(), running.id()).id();
    kit.snapshotTestKit().orElseThrow().persistForRecovery(persistenceId, List.of(Pair.create(SnapshotMeta.create(2), running)));
    kit.persistenceTestKit().clearByIdPreservingSeqNumbers(persistenceId);
    kit.persistenceTestKit().persistForRecovery(persistenceId, List.of(deletion));
    kit.restart();

    assertInstanceOf(JobState.NoJob.class, kit.getState());
    assertEquals(List.of(deletion), kit.persistenceTestKit().persistedInStorage(persistenceId), "nothing written after the recovery");
    assertEquals(ErrorCode.NOT_FOUND, rejected(ask(kit, replyTo -> new JobEntity.Get(TENANT, replyTo))).error());
  }
}
