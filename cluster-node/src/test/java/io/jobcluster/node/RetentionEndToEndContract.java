package io.jobcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.job.JobEntity;
import io.jobcluster.node.readmodel.FinishedJob;
import io.jobcluster.node.readmodel.FinishedJobs;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.wire.JobPage;
import io.jobcluster.protocol.wire.JobSummary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Retention on a real node and database: finished jobs past their retention (per status, per
 * tenant) disappear from the job, its history, the listing, the journal and the snapshots, in many
 * batches; younger, active and other tenants' jobs stay; jobs submitted and finished during a run
 * are untouched; a job changed after the sweep saw it is kept.
 */
abstract class RetentionEndToEndContract {
  private static final String TENANT = "acme";
  /** Keeps FAILED, CANCELLED and EXPIRED jobs only a moment (COMPLETED ones as long as everyone). */
  private static final String SHORT_TENANT = "brief";
  private static final Duration STEP = Duration.ofSeconds(30);
  private static final Duration SWEPT = Duration.ofSeconds(90);
  private static final String RETENTION = TestNodes.UNLIMITED_SUBMISSIONS + """
      jobcluster.worker-queues = ""
      jobcluster.job.finished-idle-timeout = 1s
      jobcluster.retention { completed = 2s, other = 1h, interval = 300ms, batch-size = 7, batch-pause = 20ms,
        tenants { "brief" { completed = 1h, other = 2s } } }
      """;

  protected abstract DatabaseSettings database();

  @Test
  void finishedJobsPastTheirRetentionAreRemovedEverywhereAndTheRestStays() throws Exception {
    try (JobclusterNode node = TestNodes.start(database(), RETENTION)) {
      JobService jobs = node.jobs();
      List<String> expired = new ArrayList<>();
      List<String> kept = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        expired.add(completed(jobs, TENANT, 0));
      }
      String snapshotted = completed(jobs, TENANT, 110);   // more than 100 events: a snapshot was written
      expired.add(snapshotted);
      Awaitility.await("the long job's snapshot").atMost(STEP)
          .until(() -> count("SELECT COUNT(*) FROM snapshot WHERE persistence_id = ?", persistenceId(snapshotted)) > 0);
      for (int i = 0; i < 4; i++) {
        kept.add(failed(jobs, TENANT));
        kept.add(cancelled(jobs, TENANT));
        kept.add(submitted(jobs, TENANT));
        kept.add(completed(jobs, SHORT_TENANT, 0));
        kept.add(submitted(jobs, SHORT_TENANT));
        expired.add(failed(jobs, SHORT_TENANT));
        expired.add(cancelled(jobs, SHORT_TENANT));
      }

      awaitRemoved(node, expired);
      for (String id : kept) {
        JobView view = view(await(jobs.get(null, id)));
        assertTrue(await(jobs.history(null, id)).isPresent(), "kept with its history: " + view);
        assertTrue(count("SELECT COUNT(*) FROM event_journal WHERE persistence_id = ?", persistenceId(id)) > 0, "events kept: " + view);
        assertTrue(count("SELECT COUNT(*) FROM jobs WHERE id = ?", id) == 1, "row kept: " + view);
      }
      assertTrue(listed(node, null).containsAll(kept), "the listing holds the kept jobs");

      Awaitility.await("the retention metrics").atMost(STEP).untilAsserted(() -> {
        String metrics = scrape(node);
        assertTrue(metric(metrics, "jobcluster_retention_removed_total{status=\"COMPLETED\"}") >= 25, metrics);
        assertTrue(metric(metrics, "jobcluster_retention_removed_total{status=\"FAILED\"}") >= 4, metrics);
        assertTrue(metric(metrics, "jobcluster_retention_removed_total{status=\"CANCELLED\"}") >= 4, metrics);
        assertTrue(metric(metrics, "jobcluster_retention_run_duration_seconds_count") >= 1, metrics);
        assertTrue(metric(metrics, "jobcluster_retention_oldest_finished_age_seconds") > 0, "the kept dead letters are the oldest: " + metrics);
      });
    }
  }

  private static String scrape(JobclusterNode node) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + node.managementAddress().getPort() + "/metrics");
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(STEP).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static double metric(String scrape, String series) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }

  @Test
  void aJobChangedAfterTheSweepSawItIsKeptAndARemovedJobCanBeSubmittedAgain() throws Exception {
    try (JobclusterNode node = TestNodes.start(database(), RETENTION.replace("interval = 300ms", "interval = 1h"))) {
      JobService jobs = node.jobs();
      String redriven = failed(jobs, SHORT_TENANT);
      Awaitility.await("the failed job in the read model").atMost(STEP).until(() -> due(node, redriven).isPresent());
      FinishedJob seen = due(node, redriven).orElseThrow();
      assertEquals(JobStatus.FAILED, seen.status());
      view(await(jobs.retry(SHORT_TENANT, redriven)));   // redriven after the sweep selected it

      JobReply.Rejected refused = assertInstanceOf(JobReply.Rejected.class, await(jobs.expire(redriven, seen.lastSeqNr())));
      assertEquals(ErrorCode.INVALID_TRANSITION, refused.error());
      assertEquals(JobStatus.PENDING, view(await(jobs.get(SHORT_TENANT, redriven))).status());
      Awaitility.await("the read model shows the redrive").atMost(STEP).until(() -> due(node, redriven).isEmpty());
      assertTrue(count("SELECT COUNT(*) FROM jobs WHERE id = ?", redriven) == 1);

      // A job removed by retention: its idempotency key submits a new job, whole, under the same id.
      JobRequest keyed = JobRequest.of("noop").withIdempotencyKey("again");
      String id = view(await(jobs.submit(SHORT_TENANT, keyed))).id();
      cancel(jobs, SHORT_TENANT, id);
      Awaitility.await("the cancelled job in the read model").atMost(STEP).until(() -> due(node, id).isPresent());
      assertInstanceOf(JobReply.Accepted.class, await(jobs.expire(id, due(node, id).orElseThrow().lastSeqNr())));
      awaitRemoved(node, List.of(id));
      JobReply.Accepted again = assertInstanceOf(JobReply.Accepted.class, await(jobs.submit(SHORT_TENANT, keyed)));
      assertTrue(again.created());
      assertEquals(id, again.job().id());
      assertEquals(JobStatus.PENDING, again.job().status());
      Awaitility.await("the new job's row").atMost(STEP).until(() -> count("SELECT COUNT(*) FROM jobs WHERE id = ?", id) == 1);
      assertEquals(List.of(JobStatus.PENDING), await(jobs.history(SHORT_TENANT, id)).orElseThrow().stream().map(t -> t.to()).toList());
    }
  }

  @Test
  void aRunWhileJobsAreSubmittedRemovesOnlyWhatExpired() throws Exception {
    // The default tenant's COMPLETED jobs expire at once; the busy tenant keeps its own a week.
    String config = RETENTION + "jobcluster.retention.tenants { \"busy\" { completed = 7d } }\n";
    try (JobclusterNode node = TestNodes.start(database(), config.replace("interval = 300ms", "interval = 2s"))) {
      JobService jobs = node.jobs();
      List<String> expired = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        expired.add(completed(jobs, TENANT, 0));
      }
      ConcurrentLinkedQueue<String> submittedMeanwhile = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      AtomicBoolean sweeping = new AtomicBoolean(true);
      Thread submitter = new Thread(() -> {
        int n = 0;
        while (sweeping.get() || n < 50) {
          try {
            submittedMeanwhile.add(n % 2 == 0 ? submitted(jobs, "busy") : completed(jobs, "busy", 0));
          } catch (Throwable e) {
            failures.add(e);
          }
          n++;
        }
      }, "retention-test-submitter");
      submitter.start();
      try {
        awaitRemoved(node, expired);
      } finally {
        sweeping.set(false);
        submitter.join(STEP.toMillis());
      }
      assertEquals(List.of(), List.copyOf(failures), "every submission during the sweep succeeded");
      // The listing trails the jobs by the projection's lag; every job submitted meanwhile shows up there and stays.
      Awaitility.await("every job submitted meanwhile listed").atMost(STEP).untilAsserted(() -> {
        Set<String> missing = new HashSet<>(submittedMeanwhile);
        missing.removeAll(listed(node, "busy"));
        assertEquals(Set.of(), missing);
      });
      assertEquals(submittedMeanwhile.size(), listed(node, "busy").size());
      for (String id : submittedMeanwhile) {
        assertInstanceOf(JobReply.Accepted.class, await(jobs.get("busy", id)));
      }
    }
  }

  @Test
  void dueJobsAreReadInBatchesOfAtMostTheLimitInFinishOrder() throws Exception {
    try (JobclusterNode node = TestNodes.start(database(), RETENTION.replace("interval = 300ms", "interval = 1h"))) {
      List<String> cancelled = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        cancelled.add(cancelled(node.jobs(), "paged"));
      }
      FinishedJobs finished = new FinishedJobs(node.queries());
      Instant later = Instant.now().plus(Duration.ofDays(365));
      // Nobody's jobs are due by the defaults; all of this tenant's are, by its own cutoffs.
      FinishedJobs.Cutoffs none = new FinishedJobs.Cutoffs(Instant.EPOCH, Instant.EPOCH);
      Map<String, FinishedJobs.Cutoffs> paged = Map.of("paged", new FinishedJobs.Cutoffs(later, later));
      Awaitility.await("the cancelled jobs in the read model").atMost(STEP)
          .until(() -> await(finished.due(none, paged, null, 10)).size() == cancelled.size());
      List<FinishedJob> read = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      FinishedJobs.After after = null;
      List<FinishedJob> batch;
      do {
        batch = await(finished.due(none, paged, after, 2));
        sizes.add(batch.size());
        read.addAll(batch);
        after = batch.isEmpty() ? after : FinishedJobs.After.of(batch.get(batch.size() - 1));
      } while (batch.size() == 2);
      assertEquals(List.of(2, 2, 1), sizes);
      assertEquals(cancelled, read.stream().map(FinishedJob::id).toList(), "in the order they finished, each once");
      assertTrue(read.stream().allMatch(job -> job.status() == JobStatus.CANCELLED && "paged".equals(job.tenant())));
      assertEquals(List.of(), await(finished.due(none, Map.of(), null, 10)), "the defaults' cutoffs hold");
    }
  }

  /** Waits until every job of {@code ids} is gone: entity, history, read-model row, events and snapshots. */
  private void awaitRemoved(JobclusterNode node, List<String> ids) {
    Awaitility.await("expired jobs removed").atMost(SWEPT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      for (String id : ids) {
        assertEquals(0, count("SELECT COUNT(*) FROM jobs WHERE id = ?", id), "row of " + id);
        assertEquals(0, count("SELECT COUNT(*) FROM event_journal WHERE persistence_id = ?", persistenceId(id)), "events of " + id);
        assertEquals(0, count("SELECT COUNT(*) FROM snapshot WHERE persistence_id = ?", persistenceId(id)), "snapshots of " + id);
      }
    });
    Set<String> listedNow = listed(node, null);
    for (String id : ids) {
      JobReply.Rejected gone = assertInstanceOf(JobReply.Rejected.class, await(node.jobs().get(null, id)));
      assertEquals(ErrorCode.NOT_FOUND, gone.error());
      assertTrue(await(node.jobs().history(null, id)).isEmpty(), "no history of " + id);
      assertTrue(!listedNow.contains(id), "not listed: " + id);
    }
  }

  private static java.util.Optional<FinishedJob> due(JobclusterNode node, String id) {
    Instant now = Instant.now().plus(Duration.ofDays(365));
    FinishedJobs.Cutoffs all = new FinishedJobs.Cutoffs(now, now);
    List<FinishedJob> due = await(new FinishedJobs(node.queries()).due(all, Map.of(), null, 1000));
    return due.stream().filter(job -> job.id().equals(id)).findFirst();
  }

  private static Set<String> listed(JobclusterNode node, String tenant) {
    Set<String> ids = new HashSet<>();
    String cursor = null;
    do {
      JobPage page = await(node.queries().list(tenant, null, null, null, 1000, cursor));
      page.items().stream().map(JobSummary::id).forEach(ids::add);
      cursor = page.nextCursor();
    } while (cursor != null);
    return ids;
  }

  private static String submitted(JobService jobs, String tenant) {
    return view(await(jobs.submit(tenant, JobRequest.of("noop").withMaxAttempts(1)))).id();
  }

  /** A job leased, heartbeated {@code heartbeats} times and completed. */
  private static String completed(JobService jobs, String tenant, int heartbeats) {
    String id = leased(jobs, tenant);
    for (int i = 0; i < heartbeats; i++) {
      view(await(jobs.heartbeat(null, id, "lease-" + id, "beat " + i)));
    }
    view(await(jobs.complete(null, id, "lease-" + id, null)));
    return id;
  }

  private static String failed(JobService jobs, String tenant) {
    String id = leased(jobs, tenant);
    assertEquals(JobStatus.FAILED, view(await(jobs.fail(null, id, "lease-" + id, "boom", false))).status());
    return id;
  }

  private static String cancelled(JobService jobs, String tenant) {
    String id = submitted(jobs, tenant);
    cancel(jobs, tenant, id);
    return id;
  }

  private static void cancel(JobService jobs, String tenant, String id) {
    assertEquals(JobStatus.CANCELLED, view(await(jobs.cancel(tenant, id, "test"))).status());
  }

  private static String leased(JobService jobs, String tenant) {
    String id = submitted(jobs, tenant);
    view(await(jobs.lease(id, "lease-" + id, "worker-1", null, null, STEP)));
    return id;
  }

  private static String persistenceId(String jobId) {
    return JobEntity.persistenceId(jobId).id();
  }

  private static JobView view(JobReply reply) {
    return assertInstanceOf(JobReply.Accepted.class, reply, () -> "rejected: " + reply).job();
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(STEP.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private long count(String sql, Object... parameters) throws Exception {
    return TestSql.count(database(), sql, parameters);
  }
}
