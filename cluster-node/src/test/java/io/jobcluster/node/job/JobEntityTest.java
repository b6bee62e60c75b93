package io.jobcluster.node.job;

import static io.jobcluster.node.job.JobEntityFixture.TENANT;
import static io.jobcluster.node.job.JobEntityFixture.accepted;
import static io.jobcluster.node.job.JobEntityFixture.ask;
import static io.jobcluster.node.job.JobEntityFixture.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.protocol.BackoffPolicy;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobIds;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JobEntityTest {
  @RegisterExtension
  static final JobEntityFixture fixture = new JobEntityFixture();

  private static final JobRequest SLEEP = JobRequest.of("sleep").withPayload("{\"ms\":10}").withTimeoutSeconds(60).withMaxAttempts(3)
      .withBackoff(BackoffPolicy.exponential(10, 2, 100));

  private EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobState> submitted(JobRequest request) {
    var job = fixture.newJob();
    accepted(ask(job, replyTo -> new JobEntity.Submit(TENANT, fixture.spec(request), false, replyTo)));
    return job;
  }

  private EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobState> running(JobRequest request, String leaseId) {
    var job = submitted(request);
    accepted(ask(job, replyTo -> new JobEntity.Lease(leaseId, "worker-1", "node-a", null, replyTo)));
    return job;
  }

  private static List<Object> persisted(EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobState> kit) {
    return kit.persistenceTestKit().persistedInStorage(PersistenceId.of(JobEntity.TYPE_KEY.name(), job(kit).id()).id());
  }

  private static JobState.Job job(EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobState> kit) {
    return assertInstanceOf(JobState.Job.class, kit.getState());
  }

  private static AttemptLease lease(EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobState> kit) {
    return assertInstanceOf(JobState.Running.class, kit.getState()).lease();
  }

  @Test
  void submitPersistsAPendingJobAndAnswersCreated() {
    var kit = fixture.newJob("11111111-1111-1111-1111-111111111111");
    var result = ask(kit, replyTo -> new JobEntity.Submit(TENANT, fixture.spec(SLEEP.withPriority(7).withTags(List.of("a", "b"))), false, replyTo));

    JobReply.Accepted reply = assertInstanceOf(JobReply.Accepted.class, result.reply());
    assertTrue(reply.created());
    JobView view = reply.job();
    assertEquals("11111111-1111-1111-1111-111111111111", view.id());
    assertEquals(JobStatus.PENDING, view.status());
    assertEquals("default", view.queue());
    assertEquals("sleep", view.type());
    assertEquals(7, view.priority());
    assertEquals("{\"ms\":10}", view.payload());
    assertEquals(0, view.attempts());
    assertEquals(3, view.maxAttempts());
    assertEquals(List.of("a", "b"), view.tags());
    assertEquals(fixture.clock.instant(), view.createdAt());
    JobEvent.Submitted event = assertInstanceOf(JobEvent.Submitted.class, result.event());
    assertEquals(TENANT, event.tenant());
    assertNull(event.from());
    assertEquals(JobStatus.PENDING, event.to());
  }

  @Test
  void submitWithFutureRunAtIsScheduledAndBecomesPendingWhenRunAtIsReached() {
    var kit = submitted(SLEEP.withDelaySeconds(120L));
    assertEquals(JobStatus.SCHEDULED, job(kit).status());

    fixture.timePasses(Duration.ofSeconds(119));
    assertEquals(JobStatus.SCHEDULED, job(kit).status());
    fixture.timePasses(Duration.ofSeconds(1));
    assertEquals(JobStatus.PENDING, job(kit).status());
  }

  @Test
  void repeatedSubmitOfTheSameRequestAnswersTheExistingJobAndPersistsNothing() {
    JobRequest request = SLEEP.withIdempotencyKey("order-42");
    String id = JobIds.forIdempotencyKey(new byte[32], TENANT, "order-42");
    var kit = fixture.newJob(id);
    JobView first = accepted(ask(kit, replyTo -> new JobEntity.Submit(TENANT, fixture.spec(request), false, replyTo)));

    fixture.timePasses(Duration.ofSeconds(5));
    var repeat = ask(kit, replyTo -> new JobEntity.Submit(TENANT, fixture.spec(request), false, replyTo));

    JobReply.Accepted reply = assertInstanceOf(JobReply.Accepted.class, repeat.reply());
    assertFalse(reply.created());
    assertEquals(first, reply.job());
    assertTrue(repeat.hasNoEvents());
  }

  @Test
  void submitOfADifferentRequestUnderTheSameIdIsAnIdempotencyConflict() {
    var kit = submitted(SLEEP.withIdempotencyKey("k"));
    var result = ask(kit, replyTo -> new JobEntity.Submit(TENANT, fixture.spec(SLEEP.withIdempotencyKey("k").withPriority(9)), false, replyTo));

    assertEquals(ErrorCode.IDEMPOTENCY_CONFLICT, rejected(result).error());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void leasePersistsWorkerAttemptLeaseIdAndAbsoluteDeadline() {
    var kit = submitted(SLEEP);
    var result = ask(kit, replyTo -> new JobEntity.Lease("lease-1", "worker-1", "node-a", null, replyTo));

    JobView view = accepted(result);
    assertEquals(JobStatus.RUNNING, view.status());
    assertEquals(1, view.attempts());
    assertEquals("worker-1", view.workerId());
    assertEquals(fixture.clock.instant().plusSeconds(60), view.leaseExpiresAt());
    assertEquals(fixture.clock.instant(), view.startedAt());
    JobEvent.Leased event = assertInstanceOf(JobEvent.Leased.class, result.event());
    assertEquals(new JobEvent.Leased(job(kit).id(), 1, "lease-1", "worker-1", "node-a", view.leaseExpiresAt(), fixture.clock.instant(),
        fixture.clock.instant()), event);
  }

  @Test
  void aRetriedLeaseWithTheSameLeaseIdIsIdempotent() {
    var kit = running(SLEEP, "lease-1");
    var again = ask(kit, replyTo -> new JobEntity.Lease("lease-1", "worker-1", "node-a", null, replyTo));

    assertEquals(JobStatus.RUNNING, accepted(again).status());
    assertTrue(again.hasNoEvents());
    var other = ask(kit, replyTo -> new JobEntity.Lease("lease-2", "worker-2", "node-b", null, replyTo));
    assertEquals(ErrorCode.INVALID_TRANSITION, rejected(other).error());
    assertTrue(other.hasNoEvents());
  }

  @Test
  void aRetriedLeaseIdNamingAnotherWorkerIsRefused() {
    var kit = running(SLEEP, "lease-1");

    var elsewhere = ask(kit, replyTo -> new JobEntity.Lease("lease-1", "worker-2", "node-b", null, replyTo));

    assertEquals(ErrorCode.INVALID_TRANSITION, rejected(elsewhere).error());
    assertTrue(elsewhere.hasNoEvents());
    assertEquals("worker-1", lease(kit).workerId());
  }

  @Test
  void heartbeatExtendsTheLeaseAndRecordsProgress() {
    var kit = running(SLEEP, "lease-1");
    fixture.timePasses(Duration.ofSeconds(50));
    var result = ask(kit, replyTo -> new JobEntity.Heartbeat(null, "lease-1", "{\"percent\":40}", replyTo));

    JobView view = accepted(result);
    assertEquals(fixture.clock.instant().plusSeconds(60), view.leaseExpiresAt());
    assertEquals("{\"percent\":40}", view.progress());

    // The old deadline (60 s after the lease) passes without effect: the lease now ends 110 s after it.
    fixture.timePasses(Duration.ofSeconds(20));
    assertEquals(JobStatus.RUNNING, job(kit).status());
    fixture.timePasses(Duration.ofSeconds(40));
    assertEquals(JobStatus.RETRYING, job(kit).status());
  }

  @Test
  void completePersistsTheResultAndFinishesTheJob() {
    var kit = running(SLEEP, "lease-1");
    fixture.timePasses(Duration.ofSeconds(3));
    var result = ask(kit, replyTo -> new JobEntity.Complete(null, "lease-1", "{\"ok\":true}", replyTo));

    JobView view = accepted(result);
    assertEquals(JobStatus.COMPLETED, view.status());
    assertEquals("{\"ok\":true}", view.result());
    assertEquals(fixture.clock.instant(), view.finishedAt());
    assertNull(view.leaseExpiresAt());
    assertEquals(JobStatus.RUNNING, result.event().from());
  }

  @Test
  void commandsWithAStaleLeaseAreRejectedAndPersistNothing() {
    var kit = running(SLEEP, "lease-1");
    fixture.timePasses(Duration.ofSeconds(60));
    assertEquals(JobStatus.RETRYING, job(kit).status()); // the lease timed out
    fixture.timePasses(Duration.ofSeconds(10));
    assertEquals(JobStatus.PENDING, job(kit).status()); // the backoff elapsed
    accepted(ask(kit, replyTo -> new JobEntity.Lease("lease-2", "worker-2", "node-b", null, replyTo)));

    var complete = ask(kit, replyTo -> new JobEntity.Complete(null, "lease-1", "{}", replyTo));
    var fail = ask(kit, replyTo -> new JobEntity.Fail(null, "lease-1", "boom", true, replyTo));
    var heartbeat = ask(kit, replyTo -> new JobEntity.Heartbeat(null, "lease-1", null, replyTo));
    var handBack = ask(kit, replyTo -> new JobEntity.HandBack("lease-1", replyTo));

    for (var result : List.of(complete, fail, heartbeat, handBack)) {
      assertEquals(ErrorCode.STALE_LEASE, rejected(result).error());
      assertTrue(result.hasNoEvents());
    }
    assertEquals("lease-2", lease(kit).leaseId());
    assertEquals(2, lease(kit).attempt());
  }

  @Test
  void lateCompletionOfACancelledJobIsRejected() {
    var kit = running(SLEEP, "lease-1");
    JobView cancelled = accepted(ask(kit, replyTo -> new JobEntity.Cancel(TENANT, "user asked", replyTo)));
    assertEquals(JobStatus.CANCELLED, cancelled.status());

    var late = ask(kit, replyTo -> new JobEntity.Complete(null, "lease-1", "{}", replyTo));
    JobReply.Rejected rejected = rejected(late);
    assertEquals(ErrorCode.INVALID_TRANSITION, rejected.error());
    assertEquals(JobStatus.CANCELLED, rejected.from());
    assertEquals(JobStatus.COMPLETED, rejected.to());
    assertTrue(late.hasNoEvents());
  }

  @Test
  void retryableFailureWithAttemptsLeftWaitsForTheJitteredBackoffThenBecomesPending() {
    var kit = running(SLEEP, "lease-1");
    var result = ask(kit, replyTo -> new JobEntity.Fail(null, "lease-1", "connection refused", true, replyTo));

    JobView view = accepted(result);
    assertEquals(JobStatus.RETRYING, view.status());
    assertEquals("connection refused", view.lastError());
    // Attempt 1, policy 10 s: the jitter (fixed at 0.5 here) picks between 5 and 10 s.
    Instant retryAt = fixture.clock.instant().plus(Duration.ofMillis(7500));
    assertEquals(retryAt, view.runAt());
    JobEvent.AttemptFailed event = assertInstanceOf(JobEvent.AttemptFailed.class, result.event());
    assertEquals(FailureCause.HANDLER_ERROR, event.cause());

    fixture.timePasses(Duration.ofMillis(7499));
    assertEquals(JobStatus.RETRYING, job(kit).status());
    fixture.timePasses(Duration.ofMillis(1));
    assertEquals(JobStatus.PENDING, job(kit).status());
  }

  @Test
  void aFailureWithANotBeforeLaterThanTheBackoffRetriesNotBeforeIt() {
    var kit = running(SLEEP, "lease-1");
    Instant notBefore = fixture.clock.instant().plus(Duration.ofSeconds(30));
    var result = ask(kit, replyTo -> new JobEntity.Fail(null, "lease-1", "status 429", true, notBefore, replyTo));

    JobView view = accepted(result);
    assertEquals(JobStatus.RETRYING, view.status());
    assertEquals(notBefore, view.runAt());
    assertEquals(notBefore, assertInstanceOf(JobEvent.AttemptFailed.class, result.event()).retryAt());

    fixture.timePasses(Duration.ofMillis(29_999));
    assertEquals(JobStatus.RETRYING, job(kit).status());
    fixture.timePasses(Duration.ofMillis(1));
    assertEquals(JobStatus.PENDING, job(kit).status());
  }

  @Test
  void aNotBeforeEarlierThanTheBackoffLeavesTheBackoff() {
    var kit = running(SLEEP, "lease-1");
    Instant soon = fixture.clock.instant().plus(Duration.ofSeconds(1));

    JobView view = accepted(ask(kit, replyTo -> new JobEntity.Fail(null, "lease-1", "status 503", true, soon, replyTo)));

    assertEquals(fixture.clock.instant().plus(Duration.ofMillis(7500)), view.runAt());
  }

  @Test
  void aNotBeforeDoesNotRetryAJobWithoutAttemptsLeft() {
    var kit = running(SLEEP.withMaxAttempts(1), "lease-1");
    Instant notBefore = fixture.clock.instant().plus(Duration.ofSeconds(30));

    JobView view = accepted(ask(kit, replyTo -> new JobEntity.Fail(null, "lease-1", "status 429", true, notBefore, replyTo)));

    assertEquals(JobStatus.FAILED, view.status());
  }

  @Test
  void nonRetryableFailureFailsAtOnce() {
    var kit = running(SLEEP, "lease-1");
    JobView view = accepted(ask(kit, replyTo -> new JobEntity.Fail(null, "lease-1", "bad input", false, replyTo)));

    assertEquals(JobStatus.FAILED, view.status());
    assertEquals(1, view.attempts());
    assertEquals(fixture.clock.instant(), view.finishedAt());
  }

  @Test
  void leaseTimeoutMovesTheJobToRetryingAndExhaustedRetriesToFailed() {
    var kit = running(SLEEP.withMaxAttempts(2), "lease-1");
    fixture.timePasses(Duration.ofSeconds(60));
    JobState.Job afterTimeout = job(kit);
    assertEquals(JobStatus.RETRYING, afterTimeout.status());
    assertTrue(afterTimeout.common().lastError().contains("lease expired"));

    fixture.timePasses(Duration.ofSeconds(10));
    assertEquals(JobStatus.PENDING, job(kit).status());
    accepted(ask(kit, replyTo -> new JobEntity.Lease("lease-2", "worker-1", "node-a", null, replyTo)));
    fixture.timePasses(Duration.ofSeconds(60));

    JobState.Job failed = job(kit);
    assertEquals(JobStatus.FAILED, failed.status());
    assertEquals(2, failed.attempts());
  }

  @Test
  void deadlinesAreReArmedAfterRecovery() {
    var kit = running(SLEEP, "lease-1");
    kit.restart();
    assertEquals(JobStatus.RUNNING, job(kit).status());

    fixture.timePasses(Duration.ofSeconds(60));
    assertEquals(JobStatus.RETRYING, job(kit).status());
    kit.restart();
    fixture.timePasses(Duration.ofSeconds(10));
    assertEquals(JobStatus.PENDING, job(kit).status());
  }

  /**
   * A job whose entity restarts while it runs (its node died, its shard moved) got no heartbeats
   * meanwhile: the lease counts afresh from the restart, so a live worker keeps it. Without this a
   * worker on a healthy node lost its lease to the failover and the job ran twice (chaos scenario f).
   */
  @Test
  void aRunningJobsLeaseCountsAfreshFromARestartOfItsEntity() {
    var kit = running(SLEEP, "lease-1");
    fixture.clock.advance(Duration.ofSeconds(70)); // the lease ran out while the entity was down
    kit.restart();
    JobView renewed = accepted(ask(kit, replyTo -> new JobEntity.Get(TENANT, replyTo)));
    assertEquals(JobStatus.RUNNING, renewed.status());
    assertEquals(fixture.clock.instant().plusSeconds(60), renewed.leaseExpiresAt());
    List<Object> events = persisted(kit);
    JobEvent.LeaseRenewed event = assertInstanceOf(JobEvent.LeaseRenewed.class, events.get(events.size() - 1));
    assertEquals("lease-1", event.leaseId());
    assertEquals(1, event.attempt());

    fixture.timePasses(Duration.ofSeconds(30));
    assertEquals(JobStatus.RUNNING, job(kit).status());
    accepted(ask(kit, replyTo -> new JobEntity.Heartbeat(null, "lease-1", null, replyTo)));
    fixture.timePasses(Duration.ofSeconds(60));
    assertEquals(JobStatus.RETRYING, job(kit).status(), "a worker that stops heartbeating still loses the lease");
    assertTrue(job(kit).common().lastError().contains("lease expired"), job(kit).common().lastError());
  }

  @Test
  void aRestartWithTheLeaseStillFreshPersistsNothing() {
    var kit = running(SLEEP, "lease-1");
    int before = persisted(kit).size();
    kit.restart();
    assertEquals(JobStatus.RUNNING, accepted(ask(kit, replyTo -> new JobEntity.Get(TENANT, replyTo))).status());
    assertEquals(before, persisted(kit).size());
  }

  @Test
  void aJobThatIsNotStartedBeforeItsExpiryExpires() {
    var scheduled = submitted(SLEEP.withDelaySeconds(60L).withTtlSeconds(120L));
    var pending = submitted(SLEEP.withTtlSeconds(30L));

    fixture.timePasses(Duration.ofSeconds(30));
    assertEquals(JobStatus.EXPIRED, job(pending).status());
    assertEquals(JobStatus.SCHEDULED, job(scheduled).status());
    fixture.timePasses(Duration.ofSeconds(30));
    assertEquals(JobStatus.PENDING, job(scheduled).status());
    fixture.timePasses(Duration.ofSeconds(60));
    assertEquals(JobStatus.EXPIRED, job(scheduled).status());
  }

  @Test
  void leasingAJobPastItsExpiryExpiresItInstead() {
    var kit = submitted(SLEEP.withTtlSeconds(30L));
    fixture.clock.advance(Duration.ofSeconds(31)); // the timer has not fired yet

    var result = ask(kit, replyTo -> new JobEntity.Lease("lease-1", "worker-1", "node-a", null, replyTo));
    assertEquals(ErrorCode.INVALID_TRANSITION, rejected(result).error());
    assertInstanceOf(JobEvent.Expired.class, result.event());
    assertEquals(JobStatus.EXPIRED, job(kit).status());
    fixture.manualTime.timePasses(Duration.ofSeconds(31));
  }

  @Test
  void aFailedJobIsRedrivenWithAFreshBudgetOfAttempts() {
    var kit = running(SLEEP.withMaxAttempts(1), "lease-1");
    accepted(ask(kit, replyTo -> new JobEntity.Fail(null, "lease-1", "boom", true, replyTo)));
    assertEquals(JobStatus.FAILED, job(kit).status());

    JobView redriven = accepted(ask(kit, replyTo -> new JobEntity.Retry(TENANT, replyTo)));
    assertEquals(JobStatus.PENDING, redriven.status());
    assertEquals(1, redriven.attempts());
    assertEquals(2, redriven.maxAttempts());
    assertNull(redriven.finishedAt());
    JobView completed = accepted(ask(kit, replyTo -> new JobEntity.Lease("lease-2", "w", "n", null, replyTo)));
    assertEquals(2, completed.attempts());
  }

  @Test
  void retryOfAJobThatHasNotFailedIsAnInvalidTransition() {
    var kit = submitted(SLEEP);
    var result = ask(kit, replyTo -> new JobEntity.Retry(TENANT, replyTo));
    JobReply.Rejected rejected = rejected(result);
    assertEquals(ErrorCode.INVALID_TRANSITION, rejected.error());
    assertEquals(JobStatus.PENDING, rejected.from());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void handBackByADrainingWorkerMakesTheJobPendingWithoutChargingTheAttempt() {
    var kit = running(SLEEP, "lease-1");
    JobView view = accepted(ask(kit, replyTo -> new JobEntity.HandBack("lease-1", replyTo)));

    assertEquals(JobStatus.PENDING, view.status());
    assertEquals(0, view.attempts());
    assertNull(view.leaseExpiresAt());
    JobView again = accepted(ask(kit, replyTo -> new JobEntity.Lease("lease-2", "worker-2", "node-b", null, replyTo)));
    assertEquals(1, again.attempts());
    assertEquals("lease-2", lease(kit).leaseId());
  }

  @Test
  void lostWorkersAreNotChargedButTooManyOfThemQuarantineTheJob() {
    var kit = running(SLEEP, "lease-1");
    for (int loss = 1; loss <= 2; loss++) {
      String leaseId = "lease-" + loss;
      JobView view = accepted(ask(kit, replyTo -> new JobEntity.WorkerLost(leaseId, replyTo)));
      assertEquals(JobStatus.RETRYING, view.status());
      assertEquals(0, view.attempts());
      fixture.timePasses(Duration.ofSeconds(100));
      String next = "lease-" + (loss + 1);
      accepted(ask(kit, replyTo -> new JobEntity.Lease(next, "worker", "node", null, replyTo)));
    }
    JobView quarantined = accepted(ask(kit, replyTo -> new JobEntity.WorkerLost("lease-3", replyTo)));

    assertEquals(JobStatus.FAILED, quarantined.status());
    assertTrue(quarantined.lastError().startsWith("quarantined"), quarantined.lastError());
    assertEquals(3, job(kit).common().workerLosses());
  }

  @Test
  void aLostNodeEndsOnlyTheAttemptLeasedOnThatNode() {
    var kit = running(SLEEP, "lease-1");
    var elsewhere = ask(kit, replyTo -> new JobEntity.WorkerNodeLost("node-b", replyTo));
    assertEquals(ErrorCode.STALE_LEASE, rejected(elsewhere).error());
    assertTrue(elsewhere.hasNoEvents());

    var lost = ask(kit, replyTo -> new JobEntity.WorkerNodeLost("node-a", replyTo));
    JobEvent.AttemptFailed failed = assertInstanceOf(JobEvent.AttemptFailed.class, lost.events().get(0));
    assertEquals(FailureCause.WORKER_LOST, failed.cause());
    assertEquals("lease-1", failed.leaseId());
    assertEquals(0, accepted(lost).attempts());
  }

  @Test
  void deleteRemovesAFinishedJobAndRefusesAnActiveOne() {
    var kit = running(SLEEP, "lease-1");
    var refused = ask(kit, replyTo -> new JobEntity.Delete(TENANT, replyTo));
    assertEquals(ErrorCode.INVALID_TRANSITION, rejected(refused).error());
    assertTrue(refused.hasNoEvents());

    accepted(ask(kit, replyTo -> new JobEntity.Complete(null, "lease-1", null, replyTo)));
    var deleted = ask(kit, replyTo -> new JobEntity.Delete(TENANT, replyTo));
    assertEquals(JobStatus.COMPLETED, accepted(deleted).status());
    assertInstanceOf(JobEvent.Deleted.class, deleted.event());

    assertEquals(ErrorCode.NOT_FOUND, rejected(ask(kit, replyTo -> new JobEntity.Get(TENANT, replyTo))).error());
    kit.restart();
    assertInstanceOf(JobState.NoJob.class, kit.getState());
  }

  @Test
  void anotherTenantsJobIsNotFound() {
    var kit = submitted(SLEEP);
    for (var result : List.of(
        ask(kit, replyTo -> new JobEntity.Get("other", replyTo)),
        ask(kit, replyTo -> new JobEntity.Cancel("other", null, replyTo)),
        ask(kit, replyTo -> new JobEntity.Retry("other", replyTo)),
        ask(kit, replyTo -> new JobEntity.Delete("other", replyTo)))) {
      assertEquals(ErrorCode.NOT_FOUND, rejected(result).error());
      assertTrue(result.hasNoEvents());
    }
    assertEquals(JobStatus.PENDING, accepted(ask(kit, replyTo -> new JobEntity.Get(null, replyTo))).status());
  }

  @Test
  void commandsToAnUnknownJobAnswerNotFound() {
    var kit = fixture.newJob();
    var result = ask(kit, replyTo -> new JobEntity.Complete(null, "lease", null, replyTo));
    assertEquals(ErrorCode.NOT_FOUND, rejected(result).error());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void theDefaultSpecIsWhatTheContractSays() {
    JobSpec spec = fixture.spec(JobRequest.of("noop"));
    assertEquals(JobSpec.DEFAULT_QUEUE, spec.queue());
    assertEquals(5, spec.priority());
    assertEquals(3, spec.maxAttempts());
    assertEquals(300, spec.timeoutSeconds());
    assertEquals(BackoffPolicy.DEFAULT, spec.backoff());
  }
}
