package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.client.JobclusterApiException;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.client.LeasedJob;
import io.jobcluster.protocol.wire.DispatcherInfo;
import io.jobcluster.protocol.wire.QueueInfo;
import io.jobcluster.protocol.wire.WorkerInfo;
import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing by job type on a real node with a real PostgreSQL, through {@link JobclusterClient}: a
 * pool takes only the types it names ({@code typed:2:noop}) or, named none, the types its node has
 * handlers for ({@code dflt:2}); a job no worker takes waits PENDING (it does not fail) and
 * {@code /v1/queues} counts it as unroutable until a worker for its type leases it; an external
 * lease with {@code types} gets only those types, whatever waits ahead of them.
 */
class TypeRoutingHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String ADMIN_KEY = "admin-key-for-type-routing-0123456789";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static JobclusterNode node;
  private static JobclusterClient admin;
  private static JobclusterClient client;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\n"
        + "jobcluster.worker-queues = \"typed:2:noop,dflt:2\"\n");
    admin = clientWith(ADMIN_KEY);
    client = clientWith(admin.issueKey("routing", List.of("submit", "read", "work"), "type routing").key());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JobclusterClient clientWith(String key) {
    URI base = URI.create("http://127.0.0.1:" + node.httpAddress().getPort());
    return JobclusterClient.builder().baseUri(base).apiKey(key).requestTimeout(Duration.ofSeconds(60)).build();
  }

  private static List<String> submit(String queue, String type, int count) {
    return IntStream.range(0, count).mapToObj(i -> client.submit(JobRequest.of(type).withQueue(queue)).job().id()).toList();
  }

  private static void awaitStatus(List<String> ids, JobStatus status) {
    Awaitility.await("jobs " + status).atMost(DEADLINE).untilAsserted(() -> ids.forEach(id -> assertEquals(status, client.get(id).status(), id)));
  }

  private static Optional<QueueInfo> queue(JobclusterClient as, String name) {
    return as.queues().stream().filter(queue -> queue.queue().equals(name)).findFirst();
  }

  /**
   * Submits jobs of {@code waitingType} (ahead) and of {@code runType} to {@code queue}: the node's
   * pool runs the latter; the former stay PENDING, never attempted, counted as unroutable, until an
   * external lease for their type takes them; then nothing unroutable is left.
   */
  private static void assertWaitsUntilAWorkerForItsTypeComes(String queueName, String waitingType, String runType) {
    List<String> waiting = submit(queueName, waitingType, 2);
    List<String> running = submit(queueName, runType, 3);

    awaitStatus(running, JobStatus.COMPLETED);
    for (String id : waiting) {
      JobView job = client.get(id);
      assertEquals(JobStatus.PENDING, job.status(), id);
      assertEquals(0, job.attempts(), id);
    }
    Awaitility.await("the queue shows them unroutable").atMost(DEADLINE).untilAsserted(() -> {
      QueueInfo queue = queue(client, queueName).orElseThrow();
      assertEquals(waiting.size(), queue.pending(), queue.toString());
      assertEquals(waiting.size(), queue.unroutable(), queue.toString());
      assertEquals(List.of(waitingType), queue.unroutableTypes(), queue.toString());
    });

    List<LeasedJob> leased = new ArrayList<>();
    Awaitility.await("leased " + waiting.size()).atMost(DEADLINE).untilAsserted(() -> {
      leased.addAll(client.lease(queueName, "typed-worker", waiting.size() - leased.size(), 5, List.of(waitingType)));
      assertEquals(waiting.size(), leased.size());
    });
    assertEquals(Set.copyOf(waiting), leased.stream().map(LeasedJob::jobId).collect(Collectors.toSet()));
    leased.forEach(job -> assertEquals(JobStatus.COMPLETED, client.complete(job.jobId(), job.leaseId(), null).status()));
    Awaitility.await("nothing unroutable is left").atMost(DEADLINE).untilAsserted(() ->
        assertEquals(0, queue(client, queueName).map(QueueInfo::unroutable).orElse(0L)));
  }

  @Test
  void aPoolTakesOnlyItsTypesAndJobsOfOtherTypesWaitUnroutableUntilAWorkerForThemLeasesThem() {
    // The node has a sleep handler, but the pool of this queue names noop only.
    assertWaitsUntilAWorkerForItsTypeComes("typed", "sleep", "noop");
  }

  @Test
  void aPoolWithoutTypesTakesTheTypesOfItsNodesHandlersAndLeavesOthersWaitingInsteadOfFailingThem() {
    // Before routing by type, the pool took the transcode jobs and failed them: "no handler for job type".
    assertWaitsUntilAWorkerForItsTypeComes("dflt", "transcode", "noop");
  }

  @Test
  void anExternalLeaseWithTypesGetsOnlyThoseTypesWhateverWaitsAheadOfThem() {
    String ahead = client.submit(JobRequest.of("b").withQueue("ext-typed").withPriority(9)).job().id();
    String wanted = client.submit(JobRequest.of("a").withQueue("ext-typed").withPriority(1)).job().id();

    List<LeasedJob> leased = client.lease("ext-typed", "a-worker", 1, 10, List.of("a"));
    assertEquals(List.of(wanted), leased.stream().map(LeasedJob::jobId).toList());
    assertEquals("a", leased.get(0).type());
    assertEquals(JobStatus.COMPLETED, client.complete(wanted, leased.get(0).leaseId(), null).status());
    assertTrue(client.lease("ext-typed", "a-worker", 1, 1, List.of("a")).isEmpty(), "no other job of type a");
    assertEquals(JobStatus.PENDING, client.get(ahead).status());

    List<LeasedJob> other = client.lease("ext-typed", "b-worker", 1, 10, List.of("b", "c"));
    assertEquals(List.of(ahead), other.stream().map(LeasedJob::jobId).toList());
    assertEquals(JobStatus.COMPLETED, client.complete(ahead, other.get(0).leaseId(), null).status());
  }

  @Test
  void workersAndTheDispatcherShowTheTypesEachPoolTakes() {
    Awaitility.await("both pools registered").atMost(DEADLINE).untilAsserted(() -> assertEquals(2, admin.workers().size()));
    List<WorkerInfo> workers = admin.workers();
    WorkerInfo typed = workers.stream().filter(worker -> worker.queues().equals(List.of("typed"))).findFirst().orElseThrow();
    assertEquals(List.of("noop"), typed.types());
    WorkerInfo dflt = workers.stream().filter(worker -> worker.queues().equals(List.of("dflt"))).findFirst().orElseThrow();
    assertTrue(dflt.types().containsAll(List.of("fail", "http", "noop", "sleep")), dflt.toString());
    assertEquals(dflt.types().stream().sorted().toList(), dflt.types());

    Awaitility.await("the typed pool asked its dispatcher").atMost(DEADLINE).untilAsserted(() -> {
      DispatcherInfo dispatcher = admin.dispatcher("typed");
      assertEquals(1, dispatcher.pools().size(), dispatcher.toString());
      assertEquals(List.of("noop"), dispatcher.pools().get(0).types());
      assertTrue(dispatcher.routedTypes().contains("noop"), dispatcher.toString());
    });
  }

  @Test
  void aLeaseNamingSomethingThatIsNoJobTypeIsRefused() {
    for (List<String> bad : List.of(List.of("no spaces"), List.of("a", ""), IntStream.range(0, 101).mapToObj(i -> "t" + i).toList())) {
      JobclusterApiException refused = assertThrows(JobclusterApiException.class, () -> client.lease("typed", "w", 1, 0, bad));
      assertEquals(400, refused.status(), refused.getMessage());
      assertEquals("invalid_request", refused.error(), refused.getMessage());
      assertTrue(refused.getMessage().contains("types"), refused.getMessage());
    }
  }

  @Test
  void aPoolNamingATypeNoHandlerRunsStopsTheNodeFromStartingWithTheReason(@TempDir Path dataDir) {
    // A database of its own: the node that fails to start must not touch the jobs of the one under test.
    IllegalStateException failed = assertThrows(IllegalStateException.class,
        () -> TestNodes.start(DatabaseSettings.h2(dataDir), "jobcluster.worker-queues = \"media:2:noop|transcode\"\n"));
    assertTrue(failed.getMessage().contains("worker queue 'media' names job type 'transcode', but no handler on this node runs it"),
        failed.getMessage());
  }
}
