package io.jobcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.job.JobEntity;
import io.jobcluster.node.readmodel.JobQueries;
import io.jobcluster.node.readmodel.JobsProjection;
import io.jobcluster.node.readmodel.QueueStats;
import io.jobcluster.node.readmodel.PendingJobRow;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.protocol.BackoffPolicy;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.wire.JobPage;
import io.jobcluster.protocol.wire.JobTransition;
import io.jobcluster.protocol.wire.JobSummary;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The read model on a real node: a few hundred jobs driven through every kind of transition show
 * up in the read model as their entities show them, with their whole history, in dispatch and
 * listing order, counted right; after a restart the projections resume from their offsets
 * without writing any transition twice.
 */
abstract class ReadModelEndToEndContract {
  private static final String TENANT = "acme";
  private static final String OTHER_TENANT = "globex";
  private static final String QUEUE = "rm";
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
  private static final BackoffPolicy HOUR_BACKOFF = BackoffPolicy.exponential(3600, 2, 7200);

  protected abstract DatabaseSettings database();

  private enum Kind {
    PENDING(JobStatus.PENDING),
    SCHEDULED(JobStatus.SCHEDULED),
    RUNNING(JobStatus.PENDING, JobStatus.RUNNING),
    RETRYING(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.RETRYING),
    COMPLETED(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.COMPLETED),
    DEAD_LETTER(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED),
    REDRIVEN(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED, JobStatus.PENDING),
    HANDED_BACK(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.PENDING),
    CANCELLED(JobStatus.SCHEDULED, JobStatus.CANCELLED),
    DELETED(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.COMPLETED);

    /** The statuses of the job's history, in order. */
    final List<JobStatus> history;

    Kind(JobStatus... history) {
      this.history = List.of(history);
    }
  }

  private record Tracked(String id, Kind kind, String tenant, JobView view) {}

  @Test
  void readModelFollowsTheJobsAndResumesFromItsOffsetsAfterARestart() throws Exception {
    Map<String, Tracked> jobs = new LinkedHashMap<>();
    long historyRows;
    try (JobclusterNode node = startNode()) {
      Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
      counts.put(Kind.PENDING, 80);
      for (Kind kind : Kind.values()) {
        counts.putIfAbsent(kind, 25);
      }
      List<CompletableFuture<Tracked>> created = new ArrayList<>();
      counts.forEach((kind, n) -> {
        for (int i = 0; i < n; i++) {
          created.add(create(node.jobs(), kind, i, i % 10 == 0 ? OTHER_TENANT : TENANT).toCompletableFuture());
        }
      });
      for (CompletableFuture<Tracked> job : created) {
        Tracked tracked = job.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        jobs.put(tracked.id(), tracked);
      }

      JobQueries queries = node.queries();
      awaitReadModel(queries, jobs);
      assertHistories(node.jobs(), jobs);
      assertDispatchOrder(queries, jobs);
      assertListing(queries, jobs);
      assertCounts(queries, jobs);
      historyRows = transitions(node.jobs(), jobs);
      assertEquals(jobs.values().stream().filter(j -> j.kind() != Kind.DELETED).mapToLong(j -> j.kind().history.size()).sum(),
          historyRows);
    }
    assertEquals(JobEntity.TAG_SLICES, count("SELECT COUNT(*) FROM pekko_projection_offset_store WHERE projection_name = ?",
        JobsProjection.NAME), "every slice stored its offset");

    try (JobclusterNode node = startNode()) {
      List<Tracked> pending = jobs.values().stream().filter(j -> j.kind() == Kind.PENDING).limit(10).toList();
      for (Tracked job : pending) {
        JobView cancelled = view(node.jobs().cancel(job.tenant(), job.id(), "after restart").toCompletableFuture()
            .get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        jobs.put(job.id(), new Tracked(job.id(), job.kind(), job.tenant(), cancelled));
      }
      // The restart renews the lease of every RUNNING job (its worker could not heartbeat meanwhile).
      List<Tracked> running = jobs.values().stream().filter(j -> j.kind() == Kind.RUNNING).toList();
      for (Tracked job : running) {
        jobs.put(job.id(), new Tracked(job.id(), job.kind(), job.tenant(), awaitRenewedLease(node, job)));
      }
      awaitReadModel(node.queries(), jobs);
      assertEquals(historyRows + pending.size() + running.size(), transitions(node.jobs(), jobs),
          "after the restart only the new transitions and lease renewals were added");
      assertCounts(node.queries(), jobs);
    }
  }

  /** The job's view once its entity, restarted with the node, has renewed the lease. */
  private static JobView awaitRenewedLease(JobclusterNode node, Tracked job) {
    AtomicReference<JobView> renewed = new AtomicReference<>();
    Awaitility.await("the lease renewed after the restart").atMost(STEP_TIMEOUT).untilAsserted(() -> {
      JobView now = view(node.jobs().get(job.tenant(), job.id()).toCompletableFuture().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      assertTrue(now.leaseExpiresAt().isAfter(job.view().leaseExpiresAt()), "lease not renewed after the restart: " + now);
      renewed.set(now);
    });
    return renewed.get();
  }

  /** Polls the listing until every job (but the deleted ones) shows as its entity does. */
  private static void awaitReadModel(JobQueries queries, Map<String, Tracked> jobs) {
    Map<String, JobView> expected = jobs.values().stream().filter(j -> j.kind() != Kind.DELETED)
        .collect(Collectors.toMap(Tracked::id, Tracked::view));
    Awaitility.await("the read model showing every job as its entity does").atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          Map<String, JobSummary> rows = new HashMap<>();
          pages(queries, null, null, null, null, JobQueries.MAX_LIMIT).forEach(row -> rows.put(row.id(), row));
          List<String> differing = new ArrayList<>(expected.keySet().stream().filter(id -> !matches(expected.get(id), rows.get(id))).toList());
          rows.keySet().stream().filter(id -> !expected.containsKey(id)).forEach(differing::add);
          String first = differing.isEmpty() ? null : differing.get(0);
          assertTrue(differing.isEmpty(), () -> differing.size() + " jobs differ in the read model, e.g. " + first + ": entity "
              + (jobs.containsKey(first) ? jobs.get(first).view() : "deleted") + " read model " + rows.get(first));
        });
  }

  private static boolean matches(JobView view, JobSummary row) {
    return row != null
        && List.of(view.queue(), view.type(), view.status(), view.priority(), view.attempts(), view.maxAttempts(), view.tags())
            .equals(List.of(row.queue(), row.type(), row.status(), row.priority(), row.attempts(), row.maxAttempts(), row.tags()))
        && Objects.equals(view.workerId(), row.workerId())
        && Objects.equals(view.lastError(), row.lastError())
        && Objects.equals(micros(view.createdAt()), row.createdAt())
        && Objects.equals(micros(view.updatedAt()), row.updatedAt())
        && Objects.equals(micros(view.runAt()), row.runAt())
        && Objects.equals(micros(view.startedAt()), row.startedAt())
        && Objects.equals(micros(view.finishedAt()), row.finishedAt())
        && Objects.equals(micros(view.leaseExpiresAt()), row.leaseExpiresAt());
  }

  /** How many transitions the jobs' histories hold together. */
  private static long transitions(JobService service, Map<String, Tracked> jobs) throws Exception {
    long total = 0;
    for (Tracked job : jobs.values()) {
      total += await(service.history(job.tenant(), job.id())).map(List::size).orElse(0);
    }
    return total;
  }

  /** Histories come from each job's own events, so they agree with the job at once, without the read model's lag. */
  private void assertHistories(JobService service, Map<String, Tracked> jobs) throws Exception {
    for (Tracked job : jobs.values()) {
      var history = await(service.history(job.tenant(), job.id()));
      if (job.kind() == Kind.DELETED) {
        assertTrue(history.isEmpty(), "a deleted job has no history: " + job);
        continue;
      }
      List<JobTransition> transitions = history.orElseThrow(() -> new AssertionError("no history for " + job));
      assertEquals(job.kind().history, transitions.stream().map(JobTransition::to).toList(), job.toString());
      assertEquals(job.view().updatedAt(), transitions.get(transitions.size() - 1).at(), job.toString());
      if (job.kind() == Kind.RUNNING) {
        assertEquals(java.util.Arrays.asList(job.view().workerId(), leaseNode()), java.util.Arrays.asList(transitions.get(1).workerId(), transitions.get(1).node()));
      }
      String otherTenant = job.tenant().equals(TENANT) ? OTHER_TENANT : TENANT;
      assertTrue(await(service.history(otherTenant, job.id())).isEmpty(), "another tenant sees no history");
    }
  }

  /** PENDING jobs come by priority, then by the time they (last) became PENDING, which the view shows as updatedAt. */
  private static void assertDispatchOrder(JobQueries queries, Map<String, Tracked> jobs) throws Exception {
    List<String> expected = jobs.values().stream().map(Tracked::view).filter(v -> v.status() == JobStatus.PENDING)
        .sorted(Comparator.comparing((JobView v) -> -v.priority()).thenComparing(v -> micros(v.updatedAt())).thenComparing(JobView::id))
        .map(JobView::id).toList();
    List<PendingJobRow> ready = await(queries.readyJobs(QUEUE, JobQueries.MAX_LIMIT));
    assertEquals(expected, ready.stream().map(PendingJobRow::jobId).toList());
    assertTrue(expected.size() > 100, "most jobs wait: " + expected.size());
    assertEquals(expected.subList(0, 10), await(queries.readyJobs(QUEUE, 10)).stream().map(PendingJobRow::jobId).toList());
    assertEquals(List.of(), await(queries.readyJobs("elsewhere", 10)));
  }

  private static void assertListing(JobQueries queries, Map<String, Tracked> jobs) throws Exception {
    Comparator<JobView> newestFirst = Comparator.comparing((JobView v) -> micros(v.createdAt())).thenComparing(JobView::id).reversed();
    List<JobView> acme = jobs.values().stream().filter(j -> j.kind() != Kind.DELETED && j.tenant().equals(TENANT))
        .map(Tracked::view).sorted(newestFirst).toList();
    assertEquals(ids(acme), ids(pages(queries, TENANT, null, null, null, 17)));
    assertEquals(ids(acme.stream().filter(v -> v.status() == JobStatus.PENDING).toList()),
        ids(pages(queries, TENANT, JobStatus.PENDING, QUEUE, null, 9)));
    assertEquals(ids(acme.stream().filter(v -> v.type().equals("odd") && v.status() == JobStatus.FAILED).toList()),
        ids(pages(queries, TENANT, JobStatus.FAILED, null, "odd", 3)));
    assertEquals(jobs.values().stream().filter(j -> j.kind() != Kind.DELETED).count(), pages(queries, null, null, null, null, 100).size());
  }

  private static void assertCounts(JobQueries queries, Map<String, Tracked> jobs) throws Exception {
    Map<JobStatus, Long> expected = new EnumMap<>(JobStatus.class);
    for (JobStatus status : JobStatus.values()) {
      expected.put(status, 0L);
    }
    jobs.values().stream().filter(j -> j.kind() != Kind.DELETED && j.tenant().equals(TENANT))
        .forEach(j -> expected.merge(j.view().status(), 1L, Long::sum));
    assertEquals(expected, await(queries.countsByStatus(TENANT)));

    Map<JobStatus, Long> all = new EnumMap<>(JobStatus.class);
    jobs.values().stream().filter(j -> j.kind() != Kind.DELETED).forEach(j -> all.merge(j.view().status(), 1L, Long::sum));
    Instant oldestPending = jobs.values().stream().map(Tracked::view).filter(v -> v.status() == JobStatus.PENDING)
        .map(v -> micros(v.updatedAt())).min(Comparator.naturalOrder()).orElseThrow();
    assertEquals(List.of(new QueueStats(QUEUE, all.get(JobStatus.PENDING), all.get(JobStatus.SCHEDULED), all.get(JobStatus.RUNNING),
        all.get(JobStatus.RETRYING), oldestPending)), await(queries.queueStats(null)));
  }

  private CompletionStage<Tracked> create(JobService service, Kind kind, int i, String tenant) {
    JobRequest request = JobRequest.of(i % 2 == 0 ? "even" : "odd").withQueue(QUEUE).withPriority(i % 10).withBackoff(HOUR_BACKOFF)
        .withTimeoutSeconds(3600).withTags(List.of("kind:" + kind.name().toLowerCase(), "n:" + i));
    if (kind == Kind.SCHEDULED || kind == Kind.CANCELLED) {
      request = request.withDelaySeconds(3600L);
    }
    String lease = "lease-" + kind + "-" + i;
    String worker = "worker-" + i;
    return service.submit(tenant, request).thenCompose(reply -> {
      String id = view(reply).id();
      Supplier<CompletionStage<JobReply>> leased = () -> service.lease(id, lease, worker, leaseNode(), null, STEP_TIMEOUT);
      CompletionStage<JobReply> done = switch (kind) {
        case PENDING, SCHEDULED -> CompletableFuture.completedFuture(reply);
        case RUNNING -> leased.get();
        case RETRYING -> leased.get().thenCompose(r -> service.fail(null, id, lease, "try later", true));
        case COMPLETED -> leased.get().thenCompose(r -> service.complete(null, id, lease, "{\"n\":" + i + "}"));
        case DEAD_LETTER -> leased.get().thenCompose(r -> service.fail(null, id, lease, "bad input", false));
        case REDRIVEN -> leased.get().thenCompose(r -> service.fail(null, id, lease, "bad input", false)).thenCompose(r -> service.retry(tenant, id));
        case HANDED_BACK -> leased.get().thenCompose(r -> service.handBack(id, lease));
        case CANCELLED -> service.cancel(tenant, id, "not needed");
        case DELETED -> leased.get().thenCompose(r -> service.complete(null, id, lease, null)).thenCompose(r -> service.delete(tenant, id));
      };
      return done.thenApply(last -> new Tracked(id, kind, tenant, view(last)));
    });
  }

  private static List<JobSummary> pages(JobQueries queries, String tenant, JobStatus status, String queue, String type, int limit) {
    List<JobSummary> all = new ArrayList<>();
    String cursor = null;
    do {
      JobPage page = queries.list(tenant, status, queue, type, limit, cursor).toCompletableFuture().join();
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }

  private static List<String> ids(List<?> jobs) {
    return jobs.stream().map(j -> j instanceof JobView v ? v.id() : ((JobSummary) j).id()).toList();
  }

  private static Instant micros(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }

  private static JobView view(JobReply reply) {
    return assertInstanceOf(JobReply.Accepted.class, reply, () -> "rejected: " + reply).job();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private long count(String sql, Object... parameters) throws SQLException {
    return TestSql.count(database(), sql, parameters);
  }

  /**
   * The same cluster address each time: a node restarted in place, so leases held "there" belong
   * to a member again and no dispatcher ends them as lost. No worker pools: the jobs keep the
   * states this test gives them.
   */
  private JobclusterNode startNode() throws Exception {
    return TestNodes.start(database(), clusterPort, "", "jobcluster.worker-queues = \"\"");
  }

  private final int clusterPort = FreePorts.next();

  /** The node every lease in this test is held on: none (see below). */
  private String leaseNode() {
    // Held by no node, like an external worker's lease: the test restarts its node, and leases
    // held on a node's previous incarnation are ended by the dispatchers' reconciliation.
    return null;
  }
}
