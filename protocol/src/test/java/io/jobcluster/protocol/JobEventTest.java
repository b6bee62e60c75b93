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
      new JobEvent.MadePending(ID, 0, JobStatus.SCHEDULED, AT),
      new JobEvent.MadePending(ID, 1, JobStatus.RETRYING, AT),
      new JobEvent.Leased(ID, 1, "l1", "w1", "n1", AT.plusSeconds(60), AT),
      new JobEvent.HeartbeatRecorded(ID, 1, "l1", "{}", AT.plusSeconds(90), AT),
      new JobEvent.LeaseRenewed(ID, 1, "l1", AT.plusSeconds(120), AT),
      new JobEvent.Completed(ID, 1, "l1", "w1", "{}", AT),
      new JobEvent.AttemptFailed(ID, 1, "l1", "w1", FailureCause.HANDLER_ERROR, "boom", true, JobStatus.RETRYING, AT.plusSeconds(5), AT),
      new JobEvent.AttemptFailed(ID, 3, "l3", "w1", FailureCause.LEASE_EXPIRED, "late", true, JobStatus.FAILED, null, AT),
      new JobEvent.HandedBack(ID, 1, "l1", "w1", AT),
      new JobEvent.Cancelled(ID, 1, JobStatus.RUNNING, "no longer needed", AT),
      new JobEvent.Expired(ID, 0, JobStatus.PENDING, AT),
      new JobEvent.Redriven(ID, 3, 6, AT));

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
    assertEquals(JobStatus.PENDING, new JobEvent.Leased(ID, 1, "l", "w", "n", AT, AT).from());
    assertEquals(JobStatus.RUNNING, new JobEvent.Leased(ID, 1, "l", "w", "n", AT, AT).to());
    assertEquals(JobStatus.RUNNING, new JobEvent.HeartbeatRecorded(ID, 1, "l", null, AT, AT).to());
    assertEquals(JobStatus.RUNNING, new JobEvent.LeaseRenewed(ID, 1, "l", AT, AT).from());
    assertEquals(JobStatus.RUNNING, new JobEvent.LeaseRenewed(ID, 1, "l", AT, AT).to());
    assertEquals(JobStatus.COMPLETED, new JobEvent.Completed(ID, 1, "l", "w", null, AT).to());
    assertEquals(JobStatus.RUNNING, new JobEvent.AttemptFailed(ID, 1, "l", "w", FailureCause.WORKER_LOST, "x", true, JobStatus.RETRYING, AT, AT).from());
    assertEquals(JobStatus.PENDING, new JobEvent.HandedBack(ID, 1, "l", "w", AT).to());
    assertEquals(JobStatus.CANCELLED, new JobEvent.Cancelled(ID, 0, JobStatus.SCHEDULED, null, AT).to());
    assertEquals(JobStatus.EXPIRED, new JobEvent.Expired(ID, 0, JobStatus.SCHEDULED, AT).to());
    assertEquals(JobStatus.FAILED, new JobEvent.Redriven(ID, 3, 6, AT).from());
    assertEquals(JobStatus.PENDING, new JobEvent.Redriven(ID, 3, 6, AT).to());
  }

  @Test
  void submissionStartsFromNothingAndDeletionKeepsTheStatus() {
    JobSpec spec = JobSpec.from(JobRequest.of("noop"), AT);
    JobEvent.Submitted submitted = new JobEvent.Submitted(ID, "acme", spec, JobStatus.PENDING, AT);
    assertNull(submitted.from());
    assertEquals(0, submitted.attempt());
    assertTrue(JobTransitions.INITIAL.contains(submitted.to()));
    JobEvent.Deleted deleted = new JobEvent.Deleted(ID, 2, JobStatus.COMPLETED, AT);
    assertEquals(JobStatus.COMPLETED, deleted.to());
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
