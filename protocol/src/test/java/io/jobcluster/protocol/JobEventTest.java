package io.jobcluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobEventTest {
  private static final Instant AT = Instant.parse("2026-05-01T10:00:00Z");
  private static final String ID = JobIds.random();

  /** One event of every kind, as the entity persists them. */
  private static final List<JobEvent> EVENTS = List.of(
      new JobEvent.MadePending(ID, JobStatus.SCHEDULED, 0, null, AT),
      new JobEvent.MadePending(ID, JobStatus.RETRYING, 1, null, AT),
      new JobEvent.Leased(ID, 1, "l1", "w1", "n1", AT.plusSeconds(60), AT.minusSeconds(1), AT),
      new JobEvent.HeartbeatRecorded(ID, 1, "l1", "{}", AT.plusSeconds(90), AT),
      new JobEvent.LeaseRenewed(ID, 1, "l1", "w1", "n1", AT.plusSeconds(120), AT),
      new JobEvent.Completed(ID, 1, "l1", "w1", "n1", "{}", AT.minusSeconds(1), AT),
      new JobEvent.AttemptFailed(ID, 1, "l1", "w1", "n1", FailureCause.HANDLER_ERROR, "boom", true, JobStatus.RETRYING, 1,
          AT.plusSeconds(5), AT.plusSeconds(5), AT.minusSeconds(1), AT),
      new JobEvent.AttemptFailed(ID, 3, "l3", "w1", "n1", FailureCause.LEASE_EXPIRED, "late", true, JobStatus.FAILED, 3, null, null,
          AT.minusSeconds(1), AT),
      new JobEvent.HandedBack(ID, 1, "l1", "w1", "n1", null, AT),
      new JobEvent.Cancelled(ID, JobStatus.RUNNING, 1, "no longer needed", AT),
      new JobEvent.Expired(ID, JobStatus.PENDING, 0, AT),
      new JobEvent.Redriven(ID, 3, 6, null, AT));

  @Test
  void everyEventIsATransitionTheTableAllows() {
    for (JobEvent event : EVENTS) {
      boolean unchanged = event.from() == event.to();
      assertTrue(unchanged || JobTransitions.isAllowed(event.from(), event.to()), event.toString());
      assertEquals(ID, event.jobId());
      assertEquals(AT, event.at());
    }
  }

  @Test
  void eventsNameTheirStatusesBeforeAndAfter() {
    assertEquals(JobStatus.PENDING, EVENTS.get(2).from());
    assertEquals(JobStatus.RUNNING, EVENTS.get(2).to());
    assertEquals(JobStatus.RUNNING, EVENTS.get(3).to());
    assertEquals(JobStatus.RUNNING, EVENTS.get(4).from());
    assertEquals(JobStatus.RUNNING, EVENTS.get(4).to());
    assertEquals(JobStatus.COMPLETED, EVENTS.get(5).to());
    assertEquals(JobStatus.RUNNING, EVENTS.get(6).from());
    assertEquals(JobStatus.PENDING, EVENTS.get(8).to());
    assertEquals(JobStatus.CANCELLED, EVENTS.get(9).to());
    assertEquals(JobStatus.EXPIRED, EVENTS.get(10).to());
    assertEquals(JobStatus.FAILED, EVENTS.get(11).from());
    assertEquals(JobStatus.PENDING, EVENTS.get(11).to());
  }

  @Test
  void eventsCarryTheAttemptsChargedAndTheNextDeadline() {
    JobEvent.Leased leased = (JobEvent.Leased) EVENTS.get(2);
    assertEquals(1, leased.attempts());
    assertEquals(leased.leaseExpiresAt(), leased.deadline());
    assertEquals(AT.plusSeconds(90), EVENTS.get(3).deadline());
    assertEquals(AT.plusSeconds(120), EVENTS.get(4).deadline());
    assertNull(EVENTS.get(5).deadline());
    // A handed-back attempt is not charged, and belongs to the attempt it ended.
    assertEquals(0, EVENTS.get(8).attempts());
    assertEquals(1, EVENTS.get(8).attempt());
    assertNull(EVENTS.get(9).deadline());
    assertNull(EVENTS.get(10).deadline());
    assertEquals(3, EVENTS.get(11).attempt());
  }

  @Test
  void submissionStartsFromNothingAndDeletionKeepsTheStatus() {
    JobSpec spec = JobSpec.from(JobRequest.of("noop"), AT);
    JobEvent.Submitted submitted = new JobEvent.Submitted(ID, "acme", spec, JobStatus.PENDING, null, AT);
    assertNull(submitted.from());
    assertEquals(0, submitted.attempt());
    assertTrue(JobTransitions.INITIAL.contains(submitted.to()));
    JobEvent.Deleted deleted = new JobEvent.Deleted(ID, JobStatus.COMPLETED, 2, AT);
    assertEquals(JobStatus.COMPLETED, deleted.to());
    assertNull(deleted.deadline());
  }

  @Test
  void aRequestIsBuiltFieldByField() {
    Instant runAt = AT.plusSeconds(10);
    JobRequest request = JobRequest.of("ocr").withQueue("media").withPayload("{\"page\":1}").withPriority(9).withMaxAttempts(4)
        .withTimeoutSeconds(30).withBackoff(BackoffPolicy.DEFAULT).withRunAt(runAt).withExpiresAt(AT.plusSeconds(100))
        .withIdempotencyKey("page-1").withTags(List.of("batch:7"));
    JobSpec spec = JobSpec.from(request, AT);
    assertEquals(new JobSpec("media", "ocr", "{\"page\":1}", 9, 4, 30, BackoffPolicy.DEFAULT, runAt, AT.plusSeconds(100), "page-1",
        List.of("batch:7"), spec.fingerprint()), spec);
    assertTrue(spec.isScheduledAt(AT));
    assertEquals(JobStatus.SCHEDULED, spec.initialStatus(AT));
  }
}
