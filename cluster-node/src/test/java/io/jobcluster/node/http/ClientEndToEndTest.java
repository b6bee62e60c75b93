package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.NodeIdentity;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.BackoffPolicy;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.client.BatchItem;
import io.jobcluster.protocol.wire.IssuedKey;
import io.jobcluster.protocol.wire.JobTransition;
import io.jobcluster.protocol.client.JobclusterApiException;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.client.LeasedJob;
import io.jobcluster.protocol.client.ListQuery;
import io.jobcluster.protocol.wire.DispatcherInfo;
import io.jobcluster.protocol.wire.DispatcherPool;
import io.jobcluster.protocol.wire.QueueInfo;
import io.jobcluster.protocol.wire.Stats;
import io.jobcluster.protocol.client.Submission;
import io.jobcluster.protocol.wire.WorkerInfo;
import io.jobcluster.protocol.wire.JobPage;
import io.jobcluster.protocol.wire.JobSummary;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole path on a real node with a real PostgreSQL, driven only through {@link JobclusterClient}:
 * submissions run by the node's own workers, cancel, redrive, idempotency, a batch of 1000, and an
 * external worker's lease cycle. Keys are issued through the client's admin calls.
 */
class ClientEndToEndTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final Logger log = LoggerFactory.getLogger(ClientEndToEndTest.class);
  private static final String ADMIN_KEY = "admin-key-for-client-tests-0123456789";
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  /** Retries fast, so failing jobs reach FAILED in well under a second. */
  private static final BackoffPolicy FAST_BACKOFF = BackoffPolicy.exponential(0.1, 1, 0.1);

  private static JobclusterNode node;
  private static URI base;
  private static JobclusterClient admin;
  private static JobclusterClient client;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\njobcluster.worker-queues = \"default:4\"\n" + TestNodes.UNLIMITED_SUBMISSIONS);
    base = URI.create("http://127.0.0.1:" + node.httpAddress().getPort());
    admin = clientWith(ADMIN_KEY);
    client = clientWith(admin.issueKey("e2e", List.of("submit", "read", "work"), "client end-to-end").key());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JobclusterClient clientWith(String key) {
    return JobclusterClient.builder().baseUri(base).apiKey(key).requestTimeout(Duration.ofSeconds(60)).build();
  }

  /** Polls {@code probe} until {@code done} holds, at most {@link #DEADLINE}; answers the last value. */
  private static <T> T await(String what, Supplier<T> probe, Predicate<T> done) {
    AtomicReference<T> reached = new AtomicReference<>();
    Awaitility.await(what).atMost(DEADLINE).untilAsserted(() -> {
      T value = probe.get();
      assertTrue(done.test(value), () -> "never " + what + "; last: " + value);
      reached.set(value);
    });
    return reached.get();
  }

  private static JobView awaitStatus(JobclusterClient as, String id, JobStatus status) {
    return await("became " + status, () -> as.get(id), job -> job.status() == status);
  }

  /** The job's history; empty while the read model has not caught up with the job yet (404). */
  private static List<JobTransition> historyOf(String id) {
    try {
      return client.history(id);
    } catch (JobclusterApiException e) {
      if (e.status() == 404) {
        return List.of();
      }
      throw e;
    }
  }

  private static JobclusterApiException refused(int status, String code, Runnable call) {
    JobclusterApiException e = assertThrows(JobclusterApiException.class, call::run);
    assertEquals(status, e.status(), e.getMessage());
    assertEquals(code, e.error(), e.getMessage());
    return e;
  }

  @Test
  void aSubmittedJobRunsOnTheNodesWorkersAndItsHistoryShowsEveryTransition() {
    Submission submitted = client.submit(JobRequest.of("noop").withPayload("{\"file\":\"a.png\"}").withPriority(7).withTags(List.of("e2e")));
    assertTrue(submitted.created());
    String id = submitted.job().id();
    assertEquals("{\"file\":\"a.png\"}", submitted.job().payload());

    JobView done = awaitStatus(client, id, JobStatus.COMPLETED);
    assertEquals(1, done.attempts());
    assertEquals(7, done.priority());
    assertEquals(List.of("e2e"), done.tags());
    assertTrue(done.finishedAt() != null && !done.finishedAt().isBefore(done.startedAt()), done.toString());

    List<JobTransition> history = await("had three transitions", () -> historyOf(id), items -> items.size() == 3);
    assertNull(history.get(0).from(), "the submission comes from nowhere");
    assertEquals(List.of(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.COMPLETED), history.stream().map(JobTransition::to).toList());
    assertEquals(List.of(JobStatus.PENDING, JobStatus.RUNNING), List.of(history.get(1).from(), history.get(2).from()));
    assertEquals(done.workerId(), history.get(2).workerId());
    assertEquals(1, history.get(2).attempt());

    JobPage listed = await("listed as COMPLETED", () -> client.list(ListQuery.all().withStatus(JobStatus.COMPLETED).withType("noop").withLimit(1000)),
        page -> page.items().stream().anyMatch(job -> job.id().equals(id)));
    assertTrue(listed.items().stream().allMatch(job -> job.status() == JobStatus.COMPLETED && job.tenant().equals("e2e")));

    client.delete(id);
    refused(404, "not_found", () -> client.get(id));
  }

  @Test
  void aLongSleepIsCancelledWhileItRuns() {
    String id = client.submit(JobRequest.of("sleep").withPayload("{\"ms\":600000}")).job().id();
    awaitStatus(client, id, JobStatus.RUNNING);
    refused(409, "invalid_transition", () -> client.delete(id));

    JobView cancelled = client.cancel(id);
    assertEquals(JobStatus.CANCELLED, cancelled.status());
    JobclusterApiException again = refused(409, "invalid_transition", () -> client.cancel(id));
    assertEquals(JobStatus.CANCELLED, again.from().orElseThrow());
    assertEquals(JobStatus.CANCELLED, again.to().orElseThrow());
    refused(409, "invalid_transition", () -> client.retry(id));

    List<JobTransition> history = await("recorded the cancellation", () -> historyOf(id),
        items -> !items.isEmpty() && items.get(items.size() - 1).to() == JobStatus.CANCELLED);
    assertEquals(JobStatus.RUNNING, history.get(history.size() - 1).from());
    assertEquals(JobStatus.CANCELLED, client.get(id).status(), "stays cancelled once the sleep is stopped");
  }

  @Test
  void aJobThatFailedEveryAttemptIsRedrivenAndThenCompletes() {
    // fail {times: 2} fails attempts 1 and 2; with maxAttempts 2 it ends FAILED. A redrive grants
    // maxAttempts more attempts, and attempt 3 succeeds with {"attempt":3}.
    String id = client.submit(JobRequest.of("fail").withPayload("{\"times\":2,\"retryable\":true}").withMaxAttempts(2)
        .withBackoff(FAST_BACKOFF)).job().id();
    JobView failed = awaitStatus(client, id, JobStatus.FAILED);
    assertEquals(2, failed.attempts());
    assertEquals("failing attempt 2 of 2", failed.lastError());

    JobView redriven = client.retry(id);
    assertEquals(JobStatus.PENDING, redriven.status());
    JobView completed = awaitStatus(client, id, JobStatus.COMPLETED);
    assertEquals(3, completed.attempts());
    assertEquals("{\"attempt\":3}", completed.result());
    JobclusterApiException notFailed = refused(409, "invalid_transition", () -> client.retry(id));
    assertEquals(JobStatus.COMPLETED, notFailed.from().orElseThrow());

    List<JobTransition> history = await("recorded the redrive", () -> historyOf(id),
        items -> !items.isEmpty() && items.get(items.size() - 1).to() == JobStatus.COMPLETED);
    assertTrue(history.stream().anyMatch(t -> t.from() == JobStatus.FAILED && t.to() == JobStatus.PENDING), history.toString());
    assertEquals(1, history.stream().filter(t -> t.to() == JobStatus.RETRYING).count(), history.toString());
    assertEquals(1, history.stream().filter(t -> t.to() == JobStatus.FAILED).count(), history.toString());
  }

  @Test
  void theSameIdempotencyKeyAnswersTheSameJobAndADifferentRequestConflicts() {
    JobRequest later = JobRequest.of("noop").withDelaySeconds(3600L);
    Submission first = client.submit(later, "order-77");
    Submission again = client.submit(later, "order-77");
    Submission inTheBody = client.submit(later.withIdempotencyKey("order-77"));

    assertTrue(first.created());
    assertEquals(JobStatus.SCHEDULED, first.job().status());
    assertFalse(again.created());
    assertEquals(first.job().id(), again.job().id());
    assertFalse(inTheBody.created(), "a key in the body is the same key");
    assertEquals(first.job().id(), inTheBody.job().id());

    refused(409, "idempotency_conflict", () -> client.submit(later.withPriority(1), "order-77"));
    assertEquals(5, client.get(first.job().id()).priority(), "the conflict changed nothing");
    assertTrue(client.submit(later, "order-78").created(), "another key, another job");
  }

  @Test
  void aBatchOfAThousandIsCreatedAndEveryJobCompletes() {
    JobclusterClient batchTenant = clientWith(admin.issueKey("e2e-batch", List.of("submit", "read"), null).key());
    // Idempotency keys make resubmitting an item that answered 503 safe: the API's contract for 503.
    List<JobRequest> requests = IntStream.range(0, 1000)
        .mapToObj(i -> JobRequest.of("noop").withPayload("{\"n\":" + i + "}").withIdempotencyKey("batch-" + i)).toList();

    long started = System.nanoTime();
    List<BatchItem> items = batchTenant.submitBatch(requests);
    long submittedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertEquals(1000, items.size());
    Map<Integer, BatchItem> accepted = new TreeMap<>();
    List<Integer> unavailable = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      BatchItem item = items.get(i);
      assertEquals(i, item.index());
      if (item.created()) {
        accepted.put(i, item);
      } else {
        assertEquals(503, item.status(), "only an overloaded node may refuse an item: " + item);
        assertEquals("unavailable", item.error().error());
        unavailable.add(i);
      }
    }
    int firstPass = accepted.size();
    for (int round = 0; !unavailable.isEmpty(); round++) {
      assertTrue(round < 5, unavailable.size() + " items still unavailable after 5 resubmissions");
      CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS)).join();
      List<Integer> again = List.copyOf(unavailable);
      unavailable.clear();
      List<BatchItem> retried = batchTenant.submitBatch(again.stream().map(requests::get).toList());
      for (int j = 0; j < again.size(); j++) {
        if (retried.get(j).accepted()) {
          accepted.put(again.get(j), retried.get(j));
        } else {
          unavailable.add(again.get(j));
        }
      }
    }
    Set<String> ids = new HashSet<>();
    accepted.forEach((index, item) -> {
      assertEquals("{\"n\":" + index + "}", item.job().payload());
      ids.add(item.job().id());
    });
    assertEquals(1000, ids.size(), "1000 distinct jobs");

    Stats stats = await("saw 1000 COMPLETED", batchTenant::stats, s -> s.count(JobStatus.COMPLETED) == 1000);
    long completedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertEquals(1000, stats.total(), "no item was created twice");
    assertEquals(1.0, stats.successRate());

    // Every one of them, page by page through the cursor.
    Set<String> listed = new HashSet<>();
    List<Integer> pageSizes = new ArrayList<>();
    JobPage page = batchTenant.list(ListQuery.all().withStatus(JobStatus.COMPLETED).withLimit(400));
    while (true) {
      page.items().stream().map(JobSummary::id).forEach(listed::add);
      pageSizes.add(page.items().size());
      if (!page.hasMore()) {
        break;
      }
      page = batchTenant.list(ListQuery.all().withStatus(JobStatus.COMPLETED).withLimit(400).withCursor(page.nextCursor()));
    }
    assertEquals(ids, listed);
    assertEquals(List.of(400, 400, 200), pageSizes.subList(0, 3));
    log.info("batch of 1000: answered in {} ms with {} created and {} unavailable (resubmitted); all COMPLETED (read model) after {} ms",
        submittedMs, firstPass, 1000 - firstPass, completedMs);
  }

  @Test
  void anExternalWorkerLeasesHeartbeatsAndCompletesAndAStaleLeaseIsRefused() {
    String id = client.submit(JobRequest.of("transcode").withQueue("ext").withTimeoutSeconds(30).withPayload("{\"src\":\"a.mov\"}")).job().id();

    List<LeasedJob> leased = client.lease("ext", "java-worker-1", 1, 10);
    assertEquals(1, leased.size());
    LeasedJob job = leased.get(0);
    assertEquals(id, job.jobId());
    assertEquals(1, job.attempt());
    assertEquals("transcode", job.type());
    assertEquals("{\"src\":\"a.mov\"}", job.payload());

    JobView beat = client.heartbeat(id, job.leaseId(), "{\"percent\":60}");
    assertEquals(JobStatus.RUNNING, beat.status());
    assertFalse(beat.leaseExpiresAt().isBefore(job.leaseExpiresAt()), "the heartbeat extends the lease");
    assertEquals("{\"percent\":60}", beat.progress());
    JobView done = client.complete(id, job.leaseId(), "{\"dst\":\"a.mp4\"}");
    assertEquals(JobStatus.COMPLETED, done.status());
    assertEquals("{\"dst\":\"a.mp4\"}", done.result());
    assertEquals("java-worker-1", done.workerId());
    refused(409, "invalid_transition", () -> client.complete(id, job.leaseId(), null));

    // A lease goes stale when another attempt owns the job: fail it for good, redrive it, lease it again.
    String other = client.submit(JobRequest.of("transcode").withQueue("ext2")).job().id();
    LeasedJob first = client.lease("ext2", "slow", 1, 10).get(0);
    assertEquals(JobStatus.FAILED, client.fail(other, first.leaseId(), "codec missing", false).status());
    client.retry(other);
    LeasedJob second = client.lease("ext2", "fast", 1, 10).get(0);
    assertEquals(other, second.jobId());
    assertEquals(2, second.attempt());

    refused(409, "stale_lease", () -> client.complete(other, first.leaseId(), "{}"));
    refused(409, "stale_lease", () -> client.heartbeat(other, first.leaseId(), null));
    refused(409, "stale_lease", () -> client.fail(other, first.leaseId(), "late", true));
    JobView finished = client.complete(other, second.leaseId(), null);
    assertEquals(JobStatus.COMPLETED, finished.status());
    assertEquals("fast", finished.workerId());
    assertEquals(0, client.lease("ext2", "idle", 1, 0).size(), "nothing left to lease");
  }

  @Test
  void keysHealthAndOperationsWorkThroughTheClient() {
    IssuedKey issued = admin.issueKey("e2e-ops", List.of("read"), "read only");
    assertEquals(List.of("read"), issued.scopes());
    assertTrue(admin.listKeys("e2e-ops").stream().anyMatch(key -> key.keyId().equals(issued.keyId()) && key.revokedAt() == null));
    JobclusterClient readOnly = clientWith(issued.key());
    assertEquals(0, readOnly.stats().total());
    refused(403, "forbidden", () -> readOnly.submit(JobRequest.of("noop")));
    refused(403, "forbidden", () -> client.listKeys("e2e"));
    JobclusterApiException invalid = refused(400, "invalid_request", () -> client.submit(JobRequest.of("noop").withPriority(10)));
    assertEquals("priority", invalid.field().orElseThrow());

    // A revoked key is refused at once.
    IssuedKey unused = admin.issueKey("e2e-ops", List.of("read"), null);
    admin.revokeKey(unused.keyId());
    refused(401, "unauthorized", clientWith(unused.key())::stats);
    assertTrue(admin.listKeys("e2e-ops").stream().anyMatch(key -> key.keyId().equals(unused.keyId()) && key.revokedAt() != null));
    refused(404, "not_found", () -> admin.revokeKey("0000000000000000"));

    JobclusterClient anonymous = JobclusterClient.builder().baseUri(base).build();
    assertTrue(anonymous.live());
    assertTrue(anonymous.ready().isReady());
    assertEquals(1, anonymous.ready().members());
    refused(401, "unauthorized", anonymous::workers);

    // The cluster's pools serve every tenant: the operator sees them, a tenant only its own external workers.
    List<WorkerInfo> workers = admin.workers();
    WorkerInfo pool = workers.stream().filter(w -> w.queues().contains("default")).findFirst().orElseThrow();
    assertEquals(4, pool.capacity());
    assertTrue(client.workers().stream().noneMatch(w -> w.id().equals(pool.id())), "a tenant does not see the cluster's pools");
    QueueInfo queue = await("listed the default queue", client::queues, queues -> queues.stream().anyMatch(q -> q.queue().equals("default")))
        .stream().filter(q -> q.queue().equals("default")).findFirst().orElseThrow();
    assertEquals(1, queue.workers());
    assertEquals(4, queue.capacity());

    DispatcherInfo dispatcher = admin.dispatcher("default");
    assertEquals("default", dispatcher.queue());
    assertEquals(NodeIdentity.self(node.system()), dispatcher.node());
    assertTrue(dispatcher.pools().stream().map(DispatcherPool::workerId).anyMatch(pool.id()::equals), () -> "the pool asked for work: " + dispatcher);
    refused(403, "forbidden", () -> client.dispatcher("default"));
    assertEquals("queue", refused(400, "invalid_request", () -> admin.dispatcher("Not A Queue")).field().orElseThrow());
  }
}
