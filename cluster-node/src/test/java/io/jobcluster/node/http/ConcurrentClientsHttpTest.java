package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.client.JobclusterApiException;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.client.ListQuery;
import io.jobcluster.protocol.client.Submission;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * 100 clients at once, each making 50 mixed requests (submit, get, list, cancel) for one of four
 * tenants through {@link JobclusterClient}, on a node that has just reported ready (no warm-up):
 * every request succeeds. Latencies are logged for the record, never asserted.
 */
class ConcurrentClientsHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final int CLIENTS = 100;
  private static final int REQUESTS = 50;

  /** One request: its kind, how long it took, and what was wrong with its answer (null: nothing). */
  private record Call(String kind, long micros, String problem) {}

  @Test
  void aHundredClientsMakingFiftyMixedRequestsEachAllSucceed() throws Exception {
    try (JobclusterNode node = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"default:4\"\n" + TestNodes.UNLIMITED_SUBMISSIONS)) {
      List<JobclusterClient> tenants = new ArrayList<>();
      for (String tenant : List.of("t1", "t2", "t3", "t4")) {
        String key = node.apiKeys().store().issue(tenant, Set.of(Scope.SUBMIT, Scope.READ), "load").toCompletableFuture().get(30, TimeUnit.SECONDS)
            .plaintext();
        tenants.add(JobclusterClient.builder().baseUri(URI.create("http://127.0.0.1:" + node.httpAddress().getPort())).apiKey(key)
            .requestTimeout(Duration.ofSeconds(60)).build());
      }
      List<Call> calls = Collections.synchronizedList(new ArrayList<>());

      // A thread a client: each waits for one answer before it asks again, as a blocking client does.
      ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          int clientNo = c;
          clients.add(CompletableFuture.runAsync(() -> runClient(tenants.get(clientNo % tenants.size()), clientNo, calls), threads));
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
      } finally {
        threads.shutdownNow();
      }

      assertEquals(CLIENTS * REQUESTS, calls.size());
      for (Call call : calls) {
        assertNull(call.problem(), () -> call.kind() + " failed: " + call.problem());
      }
      Map<String, List<Long>> byKind = new ConcurrentHashMap<>();
      calls.forEach(call -> byKind.computeIfAbsent(call.kind(), kind -> Collections.synchronizedList(new ArrayList<>())).add(call.micros()));
      byKind.forEach((kind, micros) -> {
        List<Long> sorted = micros.stream().sorted().toList();
        LoggerFactory.getLogger(ConcurrentClientsHttpTest.class).info("{} requests={} p50={} ms p99={} ms", kind, sorted.size(),
            sorted.get(sorted.size() / 2) / 1000.0, sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1000.0);
      });
    }
  }

  /** One client, one request at a time: submit, read it, list, submit a scheduled job, cancel that one; ten rounds. */
  private static void runClient(JobclusterClient client, int clientNo, List<Call> calls) {
    JobRequest now = JobRequest.of("noop").withPayload("{\"client\":" + clientNo + "}");
    JobRequest later = JobRequest.of("noop").withDelaySeconds(3600L);
    String lastId = null;
    for (int i = 0; i < REQUESTS; i++) {
      String id = lastId;
      switch (i % 5) {
        case 0 -> lastId = idOf(call(calls, "submit", () -> client.submit(now), Submission::created));
        case 1 -> call(calls, "get", () -> client.get(id), job -> job.id().equals(id));
        case 2 -> call(calls, "list", () -> client.list(ListQuery.all().withLimit(20)), page -> page.items().size() <= 20);
        case 3 -> lastId = idOf(call(calls, "submit", () -> client.submit(later), Submission::created));
        default -> call(calls, "cancel", () -> client.cancel(id), job -> job.status() == JobStatus.CANCELLED);
      }
    }
  }

  /**
   * Makes one request and notes it: an API error, or an answer that is not {@code expected}, is its
   * problem. Returns the answer, or null after an API error.
   */
  private static <T> T call(List<Call> calls, String kind, Supplier<T> request, Predicate<T> expected) {
    long started = System.nanoTime();
    T answer = null;
    String problem;
    try {
      answer = request.get();
      problem = expected.test(answer) ? null : "unexpected answer " + answer;
    } catch (JobclusterApiException e) {
      problem = e.getMessage();
    }
    calls.add(new Call(kind, (System.nanoTime() - started) / 1000, problem));
    return answer;
  }

  /** The submitted job's id; after a refused submission, an id that no job has (so the next call fails too, and says so). */
  private static String idOf(Submission submission) {
    return submission == null ? "not-submitted" : submission.job().id();
  }
}
