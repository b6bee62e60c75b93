package io.jobcluster.node.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jobcluster.node.job.JobState;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.wire.JobSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jobs row follows the entity's own state, event by event: what the view shows, the row shows. */
class JobRowTest {

  @Test
  void rowShowsWhatTheJobViewShowsAfterEveryEventOfALongLife() {
    assertFollowsTheEntity(JobEvents.longLife("job-long", "acme").events());
  }

  @Test
  void rowShowsWhatTheJobViewShowsForCancelledExpiredAndDeadLetteredJobs() {
    JobRequest later = JobRequest.of("noop").withDelaySeconds(60L).withTtlSeconds(120L);
    assertFollowsTheEntity(new JobEvents("scheduled-cancelled").submitted("acme", later).cancelled(0, JobStatus.SCHEDULED).events());
    assertFollowsTheEntity(new JobEvents("scheduled-expired").submitted("acme", later).expired(0, JobStatus.SCHEDULED).events());
    assertFollowsTheEntity(new JobEvents("running-cancelled").submitted("acme", JobRequest.of("noop"))
        .leased(1, "w", "n").cancelled(1, JobStatus.RUNNING).events());
    assertFollowsTheEntity(new JobEvents("retrying-expired").submitted("acme", JobRequest.of("noop").withTtlSeconds(600L))
        .leased(1, "w", "n").failed(1, "w", FailureCause.HANDLER_ERROR, JobStatus.RETRYING)
        .expired(1, JobStatus.RETRYING).events());
  }

  @Test
  void submissionMeasuresThePayloadInUtf8BytesAndBecomesReadyOnlyWhenPending() {
    JobEvent.Submitted pending = (JobEvent.Submitted) new JobEvents("p").submitted("acme", JobRequest.of("noop").withPayload("\"é\""))
        .events().get(0);
    JobEvent.Submitted scheduled = (JobEvent.Submitted) new JobEvents("s").submitted("acme", JobRequest.of("noop").withDelaySeconds(5L))
        .events().get(0);

    assertEquals(4, JobRow.submitted(pending, 1).payloadBytes());
    assertEquals(pending.at(), JobRow.submitted(pending, 1).readyAt());
    assertEquals(null, JobRow.submitted(scheduled, 1).readyAt());
    assertEquals(0, JobRow.submitted(scheduled, 1).payloadBytes());
  }

  @Test
  void aRowDoesNotApplySubmissionsOrDeletions() {
    List<JobEvent> events = new JobEvents("j").submitted("acme", JobRequest.of("noop")).deleted(0, JobStatus.PENDING).events();
    JobRow row = JobRow.submitted((JobEvent.Submitted) events.get(0), 1);

    assertThrows(IllegalArgumentException.class, () -> row.apply(events.get(1), 2));
    assertThrows(IllegalArgumentException.class, () -> row.apply(events.get(0), 2));
  }

  private static void assertFollowsTheEntity(List<JobEvent> events) {
    JobState state = JobState.NoJob.INSTANCE;
    JobRow row = null;
    long seqNr = 0;
    for (JobEvent event : events) {
      seqNr++;
      state = state.apply(event);
      row = row == null ? JobRow.submitted((JobEvent.Submitted) event, seqNr) : row.apply(event, seqNr);
      JobState.Job job = (JobState.Job) state;
      String step = "after " + event.getClass().getSimpleName() + " #" + seqNr;
      assertSame(job.view(), row.summary(), step);
      assertEquals(job.nextDeadline(), row.deadlineAt(), step + ": deadline");
      assertEquals(seqNr, row.lastSeqNr(), step);
    }
  }

  static void assertSame(JobView view, JobSummary summary, String context) {
    assertEquals(List.of(view.id(), view.queue(), view.type(), view.status(), view.priority(), view.attempts(), view.maxAttempts()),
        List.of(summary.id(), summary.queue(), summary.type(), summary.status(), summary.priority(), summary.attempts(),
            summary.maxAttempts()), context);
    assertEquals(view.createdAt(), summary.createdAt(), context + ": createdAt");
    assertEquals(view.updatedAt(), summary.updatedAt(), context + ": updatedAt");
    assertEquals(view.runAt(), summary.runAt(), context + ": runAt");
    assertEquals(view.startedAt(), summary.startedAt(), context + ": startedAt");
    assertEquals(view.finishedAt(), summary.finishedAt(), context + ": finishedAt");
    assertEquals(view.workerId(), summary.workerId(), context + ": workerId");
    assertEquals(view.leaseExpiresAt(), summary.leaseExpiresAt(), context + ": leaseExpiresAt");
    assertEquals(view.lastError(), summary.lastError(), context + ": lastError");
    assertEquals(view.tags(), summary.tags(), context + ": tags");
  }
}
