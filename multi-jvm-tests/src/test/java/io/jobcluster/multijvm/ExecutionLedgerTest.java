package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.worker.handler.HttpHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ledger against calls shaped like the node's {@code http} handler makes them. */
class ExecutionLedgerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ExecutionLedger ledger = ExecutionLedger.start();
  // The worker pools the calls come from, as the cluster would list them: calls name them by label only.
  private final Set<String> pools = ConcurrentHashMap.newKeySet();

  ExecutionLedgerTest() {
    ledger.resolveWorkersWith(() -> List.copyOf(pools));
  }

  @AfterEach
  void stop() {
    ledger.close();
  }

  @Test
  void heldCallsDoNotDelayOthers() {
    // More held calls than the ledger has request threads: none of them may hold a thread.
    List<CompletableFuture<HttpResponse<String>>> held = IntStream.range(0, 12)
        .mapToObj(i -> call(ledger.url(Duration.ofSeconds(5)), "held-" + i, 1, "127.0.0.1:1/default"))
        .toList();
    Poll.until("12 calls held", WAIT, () -> ledger.held() == 12);

    long started = System.nanoTime();
    HttpResponse<String> quick = call(ledger.url(Duration.ZERO), "quick", 1, "127.0.0.1:2/default").join();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertEquals(200, quick.statusCode());
    assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "an unheld call took " + took);
    assertTrue(held.stream().noneMatch(CompletableFuture::isDone), "held calls answered early");
    held.forEach(CompletableFuture::join);
    Poll.until("every answer is noted", WAIT, () -> ledger.held() == 0);
  }

  @Test
  void recordsEachExecutionWithItsNodeAndFindsTheJobsThatRanTwice() {
    call(ledger.url(Duration.ofMillis(50)), "job-a", 1, "127.0.0.1:25520/default").join();
    Instant between = Instant.now();
    call(ledger.url(Duration.ZERO), "job-a", 2, "127.0.0.1:25521/default").join();
    call(ledger.url(Duration.ZERO), "job-b", 1, "127.0.0.1:25521/default").join();
    Poll.until("every answer is noted", WAIT, () -> ledger.held() == 0);

    assertEquals(3, ledger.size());
    assertEquals(Set.of("job-a"), ledger.duplicates().keySet());
    List<ExecutionLedger.Execution> runs = ledger.duplicates().get("job-a");
    assertEquals(List.of("127.0.0.1:25520", "127.0.0.1:25521"), runs.stream().map(ExecutionLedger.Execution::node).toList());
    assertEquals(List.of(1, 2), runs.stream().map(ExecutionLedger.Execution::attempt).toList());
    assertTrue(runs.get(0).answered() && runs.get(0).end() != null);
    assertEquals(Set.of("127.0.0.1:25520", "127.0.0.1:25521"), ledger.nodes());
    assertEquals(runs.get(1), ledger.firstElsewhereAfter("job-a", "127.0.0.1:25520", between).orElseThrow());
    assertTrue(ledger.heldOn("127.0.0.1:25520", Instant.now()).isEmpty());
  }

  @Test
  void aCallHeldAtAnInstantIsFoundOnItsNode() {
    CompletableFuture<HttpResponse<String>> held = call(ledger.url(Duration.ofSeconds(2)), "job-h", 1, "127.0.0.1:7/q");
    Poll.until("the call is held", WAIT, () -> ledger.held() == 1);

    Instant now = Instant.now();
    assertEquals(List.of("job-h"), ledger.heldOn("127.0.0.1:7", now).stream().map(ExecutionLedger.Execution::jobId).toList());
    assertTrue(ledger.heldOn("127.0.0.1:8", now).isEmpty());
    assertEquals(1, ledger.heldOnUntil("127.0.0.1:7", now.plusMillis(500)).size(), "asked to be held 2 s");
    assertTrue(ledger.heldOnUntil("127.0.0.1:7", now.plusSeconds(5)).isEmpty());
    held.join();
    // The ledger notes the end just after the answer is written, so the caller may see it first.
    Poll.until("the answer is noted", WAIT, () -> ledger.held() == 0);
    assertFalse(ledger.executions().get(0).heldAt(Instant.now()));
  }

  @Test
  void measuresHowLongTheJobsOfALostNodeTookToRunElsewhere() {
    call(ledger.url(Duration.ZERO), "job-done", 1, "127.0.0.1:9/q").join();
    call(ledger.url(Duration.ZERO), "job-unreported", 1, "127.0.0.1:9/q").join();
    CompletableFuture<HttpResponse<String>> held = call(ledger.url(Duration.ofSeconds(3)), "job-r", 1, "127.0.0.1:9/q");
    // One after the other: the ledger lists held calls in the order they arrived.
    Poll.until("job-r is held", WAIT, () -> ledger.held() == 1);
    call(ledger.url(Duration.ofSeconds(3)), "job-s", 1, "127.0.0.1:9/q");
    Poll.until("both calls are held", WAIT, () -> ledger.held() == 2);
    Instant lost = Instant.now();
    call(ledger.url(Duration.ZERO), "job-r", 2, "127.0.0.1:10/q").join();
    call(ledger.url(Duration.ZERO), "job-unreported", 2, "127.0.0.1:10/q").join();

    ExecutionLedger.Redispatch redispatch = ledger.redispatchOf("127.0.0.1:9", lost);

    assertEquals(List.of("job-r", "job-s"), redispatch.inFlight().stream().map(ExecutionLedger.Execution::jobId).toList());
    assertEquals(Set.of("job-r", "job-unreported"), redispatch.rerun().keySet());
    assertEquals(List.of("job-s"), redispatch.notRerun());
    Duration last = redispatch.last().orElseThrow();
    assertTrue(!last.isNegative() && last.compareTo(WAIT) < 0, last.toString());
    assertTrue(redispatch.first().orElseThrow().compareTo(last) <= 0);
    held.join();
  }

  @Test
  void failsTheFirstAttemptsWhenAskedAndRecordsThemAsExecutions() {
    URI url = ledger.url(Duration.ZERO, 1);

    assertEquals(500, call(url, "job-f", 1, "127.0.0.1:11/q").join().statusCode());
    assertEquals(200, call(url, "job-f", 2, "127.0.0.1:11/q").join().statusCode());
    assertEquals(200, call(ledger.url(Duration.ZERO), "job-g", 1, "127.0.0.1:11/q").join().statusCode());
    assertEquals(List.of(1, 2), ledger.byJob().get("job-f").stream().map(ExecutionLedger.Execution::attempt).toList());
  }

  @Test
  void refusesACallWithoutTheJobHeaders() {
    HttpRequest request = HttpRequest.newBuilder(ledger.url(Duration.ZERO)).build();

    assertEquals(400, client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join().statusCode());
    assertEquals(0, ledger.size());
  }

  /** A call as a node's worker {@code worker} makes it: the worker named by its label. */
  private CompletableFuture<HttpResponse<String>> call(URI url, String jobId, int attempt, String worker) {
    pools.add(worker);
    HttpRequest request = HttpRequest.newBuilder(url)
        .header(ExecutionLedger.JOB_ID_HEADER, jobId)
        .header(ExecutionLedger.ATTEMPT_HEADER, Integer.toString(attempt))
        .header(ExecutionLedger.WORKER_HEADER, HttpHandler.workerLabel(worker))
        .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }
}
