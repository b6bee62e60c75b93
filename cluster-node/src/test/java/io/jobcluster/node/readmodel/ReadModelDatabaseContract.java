package io.jobcluster.node.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.jobcluster.node.job.JobState;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.SchemaMigrator;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.wire.FinishedTimings;
import io.jobcluster.protocol.wire.JobPage;
import io.jobcluster.protocol.wire.JobSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The projection handler and the queries on a real database: batches of job events go through
 * {@link JobsProjectionHandler} as the projection would pass them, and {@link JobQueries} reads
 * the outcome. Subclasses supply the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReadModelDatabaseContract {
  private static final String TENANT = "acme";
  private static final long WINDOW_START_SECONDS = 100;

  private DatabaseSettings db;
  private HikariDataSource pool;
  private ExecutorService executor;
  private JobsProjectionHandler handler;
  private JobQueries queries;
  private final Map<String, Long> seqNrs = new HashMap<>();
  private long ordering;

  protected abstract DatabaseSettings database();

  @BeforeAll
  void startPool() {
    db = database();
    SchemaMigrator.migrate(db);
    pool = ReadModelPool.create(db, 2, new SimpleMeterRegistry());
    executor = Executors.newFixedThreadPool(2);
    handler = new JobsProjectionHandler();
    queries = new JobQueries(pool, executor);
  }

  @AfterAll
  void stopPool() {
    executor.shutdownNow();
    pool.close();
  }

  @BeforeEach
  void emptyTables() throws SQLException {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM jobs");
      connection.commit();
    }
  }

  @Test
  void everyEventTypeLeavesTheRowTheJobViewShowsWhetherBatchedOrOneByOne() throws Exception {
    List<JobEvent> life = JobEvents.longLife("11111111-0000-0000-0000-000000000001", TENANT).events();
    List<JobEvent> sameLife = JobEvents.longLife("11111111-0000-0000-0000-000000000002", TENANT).events();

    project(envelopes(life));
    for (EventEnvelope<JobEvent> one : envelopes(sameLife)) {
      project(List.of(one));
    }

    Map<String, JobView> expected = Map.of(life.get(0).jobId(), finalView(life), sameLife.get(0).jobId(), finalView(sameLife));
    List<JobSummary> rows = await(queries.list(TENANT, null, null, null, 10, null)).items();
    assertEquals(expected.keySet(), rows.stream().map(JobSummary::id).collect(Collectors.toSet()));
    for (JobSummary row : rows) {
      JobRowTest.assertSame(expected.get(row.id()), row, row.id());
      assertEquals(TENANT, row.tenant());
    }
  }

  @Test
  void replayingEventsAppliedBeforeChangesNothing() throws Exception {
    String id = "33333333-0000-0000-0000-000000000001";
    List<EventEnvelope<JobEvent>> life = envelopes(JobEvents.longLife(id, TENANT).events());
    project(life);
    JobPage before = await(queries.list(TENANT, null, null, null, 10, null));

    project(life);
    project(life.subList(0, 5));
    project(life.subList(3, 9));

    assertEquals(before, await(queries.list(TENANT, null, null, null, 10, null)));
  }

  @Test
  void deletingAJobRemovesItsRowAndItsIdCanBeSubmittedAgain() throws Exception {
    String gone = "44444444-0000-0000-0000-000000000001";
    String reused = "44444444-0000-0000-0000-000000000002";
    project(envelopes(new JobEvents(gone).submitted(TENANT, JobRequest.of("noop")).cancelled(0, JobStatus.PENDING)
        .deleted(0, JobStatus.CANCELLED).events()));
    project(envelopes(new JobEvents(reused).submitted(TENANT, JobRequest.of("noop")).leased(1, "w", "n").completed(1, "w").events()));
    project(envelopes(new JobEvents(reused).deleted(1, JobStatus.COMPLETED).submitted(TENANT, JobRequest.of("second")).events()));

    List<JobSummary> rows = await(queries.list(TENANT, null, null, null, 10, null)).items();
    assertEquals(List.of(reused), rows.stream().map(JobSummary::id).toList());
    assertEquals("second", rows.get(0).type());
  }

  @Test
  void aDeletionRemovesTheJobsEventsTagsAndSnapshotsUpToItAndNothingAfterIt() throws Exception {
    String id = "44444444-0000-0000-0000-000000000003";
    String other = "44444444-0000-0000-0000-000000000004";
    // Journal rows as the plugin would hold them: the job's three events, two of a later job under the same id, another job's.
    journalRows(id, 5);
    journalRows(other, 2);
    snapshotRows(id, 2, 5);
    snapshotRows(other, 1);
    project(envelopes(new JobEvents(id).submitted(TENANT, JobRequest.of("noop")).cancelled(0, JobStatus.PENDING)
        .deleted(0, JobStatus.CANCELLED).events()));   // sequence numbers 1, 2, 3

    assertEquals(List.of(4L, 5L), sequenceNumbers("event_journal", id), "the later job's events stay");
    assertEquals(List.of(5L), sequenceNumbers("snapshot", id));
    assertEquals(List.of(1L, 2L), sequenceNumbers("event_journal", other));
    assertEquals(List.of(1L), sequenceNumbers("snapshot", other));
    assertEquals(4, count("SELECT COUNT(*) FROM event_tag WHERE event_id IN (SELECT ordering FROM event_journal WHERE persistence_id IN (?, ?))",
        "Job|" + id, "Job|" + other));
    assertEquals(4, count("SELECT COUNT(*) FROM event_tag"), "the removed events' tag rows went with them");
  }

  private void journalRows(String jobId, int events) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO event_journal (persistence_id, sequence_number, deleted, writer,"
            + " write_timestamp, adapter_manifest, event_payload, event_ser_id, event_ser_manifest) VALUES (?, ?, FALSE, 'w', 0, '', ?, 1, 'm')");
        PreparedStatement tag = connection.prepareStatement("INSERT INTO event_tag (event_id, tag) SELECT ordering, 'job-0' FROM event_journal"
            + " WHERE persistence_id = ?")) {
      for (int seqNr = 1; seqNr <= events; seqNr++) {
        insert.setString(1, "Job|" + jobId);
        insert.setLong(2, seqNr);
        insert.setBytes(3, new byte[] {1});
        insert.executeUpdate();
      }
      tag.setString(1, "Job|" + jobId);
      tag.executeUpdate();
      connection.commit();
    }
  }

  private void snapshotRows(String jobId, long... seqNrs) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO snapshot (persistence_id, sequence_number, created,"
            + " snapshot_ser_id, snapshot_ser_manifest, snapshot_payload) VALUES (?, ?, 0, 1, 'm', ?)")) {
      for (long seqNr : seqNrs) {
        insert.setString(1, "Job|" + jobId);
        insert.setLong(2, seqNr);
        insert.setBytes(3, new byte[] {1});
        insert.executeUpdate();
      }
      connection.commit();
    }
  }

  private List<Long> sequenceNumbers(String table, String jobId) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement select = connection.prepareStatement("SELECT sequence_number FROM " + table
            + " WHERE persistence_id = ? ORDER BY sequence_number")) {
      select.setString(1, "Job|" + jobId);
      List<Long> seqNrs = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          seqNrs.add(rows.getLong(1));
        }
      }
      connection.commit();
      return seqNrs;
    }
  }

  private long count(String sql, String... parameters) throws SQLException {
    try (Connection connection = pool.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setString(i + 1, parameters[i]);
      }
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        long count = rows.getLong(1);
        connection.commit();
        return count;
      }
    }
  }

  @Test
  void anEventForAJobTheReadModelDoesNotHaveIsSkipped() throws Exception {
    String id = "55555555-0000-0000-0000-000000000001";
    project(envelopes(new JobEvents(id).madePending(0, JobStatus.SCHEDULED).events()));

    assertEquals(List.of(), await(queries.list(null, null, null, null, 10, null)).items());
  }

  @Test
  void listingPagesNewestFirstWithFiltersAndReturnsEveryJobExactlyOnce() throws Exception {
    List<JobEvent> events = new ArrayList<>();
    Map<String, JobStatus> expected = new HashMap<>();
    for (int i = 0; i < 25; i++) {
      String id = String.format("66666666-0000-0000-0000-%012d", i);
      // Some jobs share a creation time, so the listing must break ties.
      JobEvents job = new JobEvents(id).idle(i % 7).submitted(i % 5 == 0 ? "globex" : TENANT,
          JobRequest.of(i % 2 == 0 ? "even" : "odd").withQueue(i % 3 == 0 ? "media" : "default"));
      if (i % 4 == 0) {
        job.cancelled(0, JobStatus.PENDING);
      }
      events.addAll(job.events());
      expected.put(id, i % 4 == 0 ? JobStatus.CANCELLED : JobStatus.PENDING);
    }
    project(envelopes(events));

    List<JobSummary> all = pages(TENANT, null, null, null, 3);
    assertEquals(20, all.size());
    assertEquals(20, all.stream().map(JobSummary::id).distinct().count());
    for (int i = 1; i < all.size(); i++) {
      // Ties on the creation time break on id, descending.
      JobSummary newer = all.get(i - 1);
      JobSummary older = all.get(i);
      assertTrue(newer.createdAt().isAfter(older.createdAt())
          || (newer.createdAt().equals(older.createdAt()) && newer.id().compareTo(older.id()) > 0), newer + " before " + older);
    }
    all.forEach(job -> assertEquals(expected.get(job.id()), job.status()));
    assertEquals(25, pages(null, null, null, null, 7).size());
    assertEquals(all.stream().filter(j -> j.status() == JobStatus.CANCELLED).toList(), pages(TENANT, JobStatus.CANCELLED, null, null, 2));
    assertEquals(all.stream().filter(j -> j.queue().equals("media")).toList(), pages(TENANT, null, "media", null, 2));
    assertEquals(all.stream().filter(j -> j.type().equals("odd") && j.queue().equals("default")).toList(),
        pages(TENANT, null, "default", "odd", 4));
    assertEquals(new JobPage(List.of(), null), await(queries.list("nobody", null, null, null, 5, null)));
  }

  @Test
  void anErrorHoldingNulIsKeptWithAReplacementCharacterInsteadOfStoppingTheProjection() throws Exception {
    String id = "33333333-0000-0000-0000-000000000001";
    project(envelopes(new JobEvents(id).submitted(TENANT, JobRequest.of("noop")).leased(1, "worker-a", "node-1")
        .failed(1, "worker-a", FailureCause.HANDLER_ERROR, "bad\u0000byte", JobStatus.FAILED).events()));

    String lastError = await(queries.list(TENANT, null, null, null, 10, null)).items().get(0).lastError();
    assertTrue(lastError.endsWith("bad\uFFFDbyte"), lastError);
  }

  @Test
  void aBadCursorOrLimitIsAnInvalidRequest() {
    assertEquals("cursor", invalidRequest(queries.list(TENANT, null, null, null, 10, "not a cursor!")).field());
    assertEquals("cursor", invalidRequest(queries.list(TENANT, null, null, null, 10, "bm8gYmFy")).field());
    assertEquals("cursor", invalidRequest(queries.list(TENANT, null, null, null, 10, "eWVzdGVyZGF5fGlk")).field());
    String job = "11111111-0000-0000-0000-000000000001";
    for (String forged : List.of("2020-01-01T00:00:00Z|not-a-job-id", "2020-01-01T00:00:00Z|\u0000", "+1000000000-01-01T00:00:00Z|" + job,
        "-1000000000-01-01T00:00:00Z|" + job)) {
      String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8));
      assertEquals("cursor", invalidRequest(queries.list(TENANT, null, null, null, 10, cursor)).field(), forged);
    }
    assertEquals("queue", invalidRequest(queries.list(TENANT, null, "\u0000", null, 10, null)).field());
    assertEquals("type", invalidRequest(queries.list(TENANT, null, null, "no such type", 10, null)).field());
    assertEquals("limit", invalidRequest(queries.list(TENANT, null, null, null, 0, null)).field());
    assertEquals("limit", invalidRequest(queries.readyJobs("default", JobQueries.MAX_LIMIT + 1)).field());
    assertEquals("limit", invalidRequest(queries.overdue(Instant.now(), -1)).field());
  }

  @Test
  void readyJobsComeByPriorityThenByTheTimeTheyBecamePending() throws Exception {
    List<JobEvent> events = new ArrayList<>();
    int[] priorities = {5, 9, 5, 0, 9, 5};
    for (int i = 0; i < priorities.length; i++) {
      String id = String.format("77777777-0000-0000-0000-%012d", i);
      // Later ids are submitted earlier, so ready time and id order disagree.
      JobEvents job = new JobEvents(id).idle(priorities.length - i);
      events.addAll(job.submitted(TENANT, JobRequest.of("noop").withQueue("ready").withPriority(priorities[i])).events());
    }
    // A job that was handed back is ready again from the hand-back, after the others of its priority.
    events.addAll(new JobEvents("77777777-0000-0000-0000-000000000099").idle(priorities.length).submitted(TENANT, JobRequest.of("noop").withQueue("ready")
        .withPriority(9)).leased(1, "w", "n").handedBack(1, "w").events());
    events.addAll(new JobEvents("77777777-0000-0000-0000-000000000098").submitted(TENANT, JobRequest.of("noop").withQueue("ready")
        .withPriority(9)).leased(1, "w", "n").events());
    events.addAll(new JobEvents("77777777-0000-0000-0000-000000000097").submitted(TENANT, JobRequest.of("noop").withQueue("other")).events());
    project(envelopes(events));

    List<PendingJobRow> ready = await(queries.readyJobs("ready", 100));

    assertEquals(7, ready.size());
    for (int i = 1; i < ready.size(); i++) {
      PendingJobRow before = ready.get(i - 1);
      PendingJobRow after = ready.get(i);
      assertTrue(before.priority() > after.priority() || (before.priority() == after.priority()
          && (before.readyAt().isBefore(after.readyAt())
              || (before.readyAt().equals(after.readyAt()) && before.jobId().compareTo(after.jobId()) < 0))), before + " before " + after);
    }
    assertEquals("77777777-0000-0000-0000-000000000099", ready.stream().filter(r -> r.priority() == 9).reduce((a, b) -> b).orElseThrow()
        .jobId());
    assertEquals(List.of(9, 9), await(queries.readyJobs("ready", 2)).stream().map(PendingJobRow::priority).toList());
  }

  @Test
  void readyJobsLeaveOutTheTypesADispatcherSkipsAndPendingJobsAreCountedByQueueAndType() throws Exception {
    List<JobEvent> events = new ArrayList<>();
    String[] types = {"ocr", "ocr", "noop", "pdf", "noop"};
    for (int i = 0; i < types.length; i++) {
      // The ocr jobs come first in dispatch order.
      events.addAll(new JobEvents(String.format("66666666-0000-0000-0000-%012d", i)).submitted(TENANT, JobRequest.of(types[i])
          .withQueue("typed").withPriority(9 - i)).events());
    }
    events.addAll(new JobEvents("66666666-0000-0000-0000-000000000010").submitted("globex", JobRequest.of("ocr").withQueue("other")).events());
    events.addAll(new JobEvents("66666666-0000-0000-0000-000000000011").submitted(TENANT, JobRequest.of("pdf").withQueue("typed"))
        .leased(1, "w", "n").events());
    project(envelopes(events));

    assertEquals(List.of("ocr", "ocr"), await(queries.readyJobs("typed", 2)).stream().map(PendingJobRow::type).toList());
    assertEquals(List.of("noop", "pdf", "noop"), await(queries.readyJobs("typed", 3, List.of("ocr"))).stream().map(PendingJobRow::type).toList());
    assertEquals(List.of("noop", "noop"), await(queries.readyJobs("typed", 10, List.of("ocr", "pdf"))).stream().map(PendingJobRow::type).toList());

    assertEquals(Map.of("typed", Map.of("noop", 2L, "ocr", 2L, "pdf", 1L), "other", Map.of("ocr", 1L)), await(queries.pendingByType(null)));
    assertEquals(Map.of("typed", Map.of("noop", 2L, "ocr", 2L, "pdf", 1L)), await(queries.pendingByType(TENANT)));
  }

  @Test
  void countsAndQueueStatsCountActiveJobsPerStatusAndTheOldestPendingOne() throws Exception {
    List<JobEvent> events = new ArrayList<>();
    events.addAll(new JobEvents("88888888-0000-0000-0000-000000000001").submitted(TENANT, JobRequest.of("a").withQueue("q1")).events());
    events.addAll(new JobEvents("88888888-0000-0000-0000-000000000002").idle(1).submitted(TENANT, JobRequest.of("a").withQueue("q1"))
        .events());
    events.addAll(new JobEvents("88888888-0000-0000-0000-000000000003").submitted(TENANT, JobRequest.of("a").withQueue("q1")
        .withDelaySeconds(60L)).events());
    events.addAll(new JobEvents("88888888-0000-0000-0000-000000000004").submitted(TENANT, JobRequest.of("a").withQueue("q1"))
        .leased(1, "w", "n").events());
    events.addAll(new JobEvents("88888888-0000-0000-0000-000000000005").submitted("globex", JobRequest.of("a").withQueue("q2"))
        .leased(1, "w", "n").failed(1, "w", FailureCause.HANDLER_ERROR, JobStatus.RETRYING).events());
    events.addAll(new JobEvents("88888888-0000-0000-0000-000000000006").submitted(TENANT, JobRequest.of("a").withQueue("q2"))
        .leased(1, "w", "n").completed(1, "w").events());
    project(envelopes(events));

    Map<JobStatus, Long> acme = await(queries.countsByStatus(TENANT));
    assertEquals(JobStatus.values().length, acme.size());
    assertEquals(List.of(2L, 1L, 1L, 0L, 1L), List.of(acme.get(JobStatus.PENDING), acme.get(JobStatus.SCHEDULED),
        acme.get(JobStatus.RUNNING), acme.get(JobStatus.RETRYING), acme.get(JobStatus.COMPLETED)));
    assertEquals(6L, await(queries.countsByStatus(null)).values().stream().mapToLong(Long::longValue).sum());

    Instant oldest = ((JobEvent.Submitted) events.get(0)).at();
    assertEquals(List.of(new QueueStats("q1", 2, 1, 1, 0, oldest), new QueueStats("q2", 0, 0, 0, 1, null)),
        await(queries.queueStats(null)));
    assertEquals(List.of(new QueueStats("q1", 2, 1, 1, 0, oldest)), await(queries.queueStats(TENANT)));
    assertEquals(Duration.ofSeconds(10), new QueueStats("q1", 2, 1, 1, 0, oldest).oldestPendingAge(oldest.plusSeconds(10)));
    assertEquals(Duration.ZERO, new QueueStats("q2", 0, 0, 0, 1, null).oldestPendingAge(oldest));
  }

  @Test
  void finishedTimingsCountTerminalStatusesAndSpreadWaitAndRunOfTheLastAttemptPerQueueAndType() throws Exception {
    JobRequest encode = JobRequest.of("encode").withQueue("media");
    List<JobEvents> jobs = List.of(
        ran("aaaaaaaa-0000-0000-0000-000000000001", TENANT, encode, 1, 2),
        ran("aaaaaaaa-0000-0000-0000-000000000002", TENANT, encode, 2, 2),
        // Delayed by 10 s: its wait counts from its runAt, not from the submission.
        inWindow("aaaaaaaa-0000-0000-0000-000000000003").submitted(TENANT, encode.withDelaySeconds(10L)).idle(9)
            .madePending(0, JobStatus.SCHEDULED).idle(2).leased(1, "w", "n").idle(1).completed(1, "w"),
        ran("aaaaaaaa-0000-0000-0000-000000000004", TENANT, encode, 4, 2),
        // Dead-lettered on its second attempt: waits until that attempt starts (9 s), runs 12 s.
        inWindow("aaaaaaaa-0000-0000-0000-000000000005").submitted(TENANT, encode.withMaxAttempts(2)).leased(1, "w", "n")
            .failed(1, "w", FailureCause.HANDLER_ERROR, JobStatus.RETRYING).madePending(1, JobStatus.RETRYING).idle(5)
            .leased(2, "w", "n").idle(11).failed(2, "w", FailureCause.HANDLER_ERROR, JobStatus.FAILED),
        // Finished without ever starting: counted, not timed.
        inWindow("aaaaaaaa-0000-0000-0000-000000000006").submitted(TENANT, encode).cancelled(0, JobStatus.PENDING),
        inWindow("aaaaaaaa-0000-0000-0000-000000000007").submitted(TENANT, encode).expired(0, JobStatus.PENDING),
        inWindow("aaaaaaaa-0000-0000-0000-000000000008").submitted(TENANT, JobRequest.of("thumbnail").withQueue("media"))
            .cancelled(0, JobStatus.PENDING),
        // Still running, finished before the window, another tenant's.
        inWindow("aaaaaaaa-0000-0000-0000-000000000009").submitted(TENANT, encode).leased(1, "w", "n"),
        new JobEvents("aaaaaaaa-0000-0000-0000-000000000010").submitted(TENANT, encode).cancelled(0, JobStatus.PENDING),
        ran("aaaaaaaa-0000-0000-0000-000000000011", "globex", encode, 1, 1));
    List<JobEvent> events = new ArrayList<>();
    jobs.forEach(job -> events.addAll(job.events()));
    project(envelopes(events));
    Instant since = JobEvents.T0.plusSeconds(WINDOW_START_SECONDS);

    FinishedTimings thumbnails = new FinishedTimings("media", "thumbnail", 1, 0, 0, 1, 0, null, null, null);
    // Waits 1, 2, 3, 4, 9 s and runs 2, 2, 2, 2, 12 s; percentiles interpolate (p95 at rank 3.8 of 0..4).
    assertEquals(List.of(new FinishedTimings("media", "encode", 7, 4, 1, 1, 1, 4 / 5.0, new FinishedTimings.Millis(3800, 3000, 8000, 9000),
        new FinishedTimings.Millis(4000, 2000, 10000, 12000)), thumbnails), await(queries.finishedTimings(TENANT, since)));
    // With globex's job (wait 1 s, run 1 s): p50 at rank 2.5 and p95 at rank 4.75 of 0..5.
    assertEquals(List.of(new FinishedTimings("media", "encode", 8, 5, 1, 1, 1, 5 / 6.0, new FinishedTimings.Millis(3333, 2500, 7750, 9000),
        new FinishedTimings.Millis(3500, 2000, 9500, 12000)), thumbnails), await(queries.finishedTimings(null, since)));
    assertEquals(List.of(), await(queries.finishedTimings(TENANT, JobEvents.T0.plusSeconds(3600))));
    assertEquals(List.of(), await(queries.finishedTimings("nobody", since)));
  }

  /** A job submitted after the window starts that waits {@code waitSeconds} for its only attempt, which runs {@code runSeconds}. */
  private static JobEvents ran(String id, String tenant, JobRequest request, int waitSeconds, int runSeconds) {
    return inWindow(id).submitted(tenant, request).idle(waitSeconds - 1L).leased(1, "w", "n").idle(runSeconds - 1L).completed(1, "w");
  }

  private static JobEvents inWindow(String id) {
    return new JobEvents(id).idle(WINDOW_START_SECONDS);
  }

  @Test
  void overdueFindsActiveJobsWhoseNextDeadlinePassedMostOverdueFirst() throws Exception {
    JobEvents scheduled = new JobEvents("99999999-0000-0000-0000-000000000001")
        .submitted(TENANT, JobRequest.of("a").withDelaySeconds(10L));
    JobEvents running = new JobEvents("99999999-0000-0000-0000-000000000002")
        .submitted(TENANT, JobRequest.of("a").withTimeoutSeconds(100)).leased(1, "w", "n");
    JobEvents pendingForever = new JobEvents("99999999-0000-0000-0000-000000000003").submitted(TENANT, JobRequest.of("a"));
    JobEvents failed = new JobEvents("99999999-0000-0000-0000-000000000004").submitted(TENANT, JobRequest.of("a"))
        .leased(1, "w", "n").failed(1, "w", FailureCause.HANDLER_ERROR, JobStatus.FAILED);
    List<JobEvent> events = new ArrayList<>();
    List.of(scheduled, running, pendingForever, failed).forEach(job -> events.addAll(job.events()));
    project(envelopes(events));
    Instant scheduledDue = JobEvents.T0.plusSeconds(11);

    assertEquals(List.of(), await(queries.overdue(scheduledDue.minusMillis(1), 10)));
    assertEquals(List.of(new DueJob(scheduled.events().get(0).jobId(), JobStatus.SCHEDULED, scheduledDue)),
        await(queries.overdue(scheduledDue, 10)));
    List<DueJob> later = await(queries.overdue(Instant.parse("2031-01-01T00:00:00Z"), 10));
    assertEquals(List.of(JobStatus.SCHEDULED, JobStatus.RUNNING), later.stream().map(DueJob::status).toList());
    assertEquals(1, await(queries.overdue(Instant.parse("2031-01-01T00:00:00Z"), 1)).size());
  }

  @Test
  void waitingJobsAreReadSoonestFirstInPagesThatGoOnAfterTheirLastJob() throws Exception {
    List<JobEvent> events = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      // Pairs share a runAt, so a page may end between two jobs due at the same instant.
      String id = String.format("aaaaaaaa-0000-0000-0000-%012d", i);
      events.addAll(new JobEvents(id).submitted(TENANT, JobRequest.of("later").withRunAt(JobEvents.T0.plusSeconds(100 + i / 2))).events());
      expected.add(id);
    }
    // A running job has a deadline too, but does not wait out of memory.
    events.addAll(new JobEvents("aaaaaaaa-0000-0000-0000-999999999999").submitted(TENANT, JobRequest.of("now")).leased(1, "w", "n").events());
    project(envelopes(events));
    Instant until = JobEvents.T0.plusSeconds(1000);

    List<String> read = new ArrayList<>();
    DueJob last = null;
    do {
      List<DueJob> page = await(queries.waitingUntil(last == null ? null : last.deadlineAt(), last == null ? null : last.jobId(), until, 3));
      page.forEach(job -> read.add(job.jobId()));
      last = page.size() == 3 ? page.get(2) : null;
    } while (last != null);

    assertEquals(expected, read);
    assertEquals(expected.subList(2, 7), await(queries.waitingUntil(JobEvents.T0.plusSeconds(100), null, until, 10)).stream()
        .map(DueJob::jobId).toList(), "after an instant alone, every job due at it is passed");
    assertEquals(expected.subList(0, 4), await(queries.waitingUntil(null, null, JobEvents.T0.plusSeconds(101), 10)).stream()
        .map(DueJob::jobId).toList());
  }

  private static JobView finalView(List<JobEvent> life) {
    JobState state = JobState.NoJob.INSTANCE;
    for (JobEvent event : life) {
      state = state.apply(event);
    }
    return ((JobState.Job) state).view();
  }

  private List<JobSummary> pages(String tenant, JobStatus status, String queue, String type, int limit) throws Exception {
    List<JobSummary> all = new ArrayList<>();
    String cursor = null;
    do {
      JobPage page = await(queries.list(tenant, status, queue, type, limit, cursor));
      assertTrue(page.items().size() <= limit);
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }

  /** Envelopes as the projection passes them: sequence numbers per job, offsets ascending. */
  private List<EventEnvelope<JobEvent>> envelopes(List<JobEvent> events) {
    List<EventEnvelope<JobEvent>> envelopes = new ArrayList<>();
    for (JobEvent event : events) {
      long seqNr = seqNrs.merge(event.jobId(), 1L, Long::sum);
      ordering++;
      envelopes.add(EventEnvelope.create(Offset.sequence(ordering), "Job|" + event.jobId(), seqNr, event, event.at().toEpochMilli()));
    }
    return envelopes;
  }

  private void project(List<EventEnvelope<JobEvent>> batch) throws Exception {
    PooledJdbcSession session = new PooledJdbcSession(pool);
    try {
      handler.process(session, batch);
      session.commit();
    } catch (Exception e) {
      session.rollback();
      throw e;
    } finally {
      session.close();
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static InvalidRequestException invalidRequest(CompletionStage<?> stage) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
    return assertInstanceOf(InvalidRequestException.class, e.getCause());
  }
}
