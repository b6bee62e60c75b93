package io.jobcluster.node.http;

import static io.jobcluster.node.http.HttpTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.client.BatchItem;
import io.jobcluster.protocol.client.EventStream;
import io.jobcluster.protocol.client.JobclusterApiException;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.wire.JobTransition;
import io.jobcluster.protocol.wire.TransitionEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Job transitions as Server-Sent Events, and a job's history read right after it finished, on a real
 * node with a real PostgreSQL, through the Java client and raw HTTP.
 */
class EventStreamsHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String ADMIN_KEY = "admin-key-for-event-tests-0123456789";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static JobclusterNode node;
  private static HttpTestClient http;
  private static JobclusterClient acme;
  private static JobclusterClient globex;
  private static String acmeKey;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\n"
        + "jobcluster.worker-queues = \"default:4,sse-a:2,sse-b:2\"\njobcluster.http.event-stream-heartbeat = 1s\n"
        + TestNodes.UNLIMITED_SUBMISSIONS);
    http = new HttpTestClient(node);
    JobclusterClient admin = client(ADMIN_KEY);
    acmeKey = admin.issueKey("acme", List.of("submit", "read"), "events").key();
    acme = client(acmeKey);
    globex = client(admin.issueKey("globex", List.of("submit", "read"), "events").key());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JobclusterClient client(String key) {
    return JobclusterClient.builder().baseUri(URI.create("http://127.0.0.1:" + node.httpAddress().getPort())).apiKey(key).build();
  }

  @Test
  void historyReadTheMomentAJobIsCompletedHoldsEveryTransition() throws Exception {
    List<JobRequest> requests = Collections.nCopies(60, JobRequest.of("noop"));
    List<String> ids = acme.submitBatch(requests).stream().map(item -> item.job().id()).toList();
    List<String> pending = new ArrayList<>(ids);
    Awaitility.await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> {
      for (String id : List.copyOf(pending)) {
        JobView view = acme.get(id);
        if (view.status() == JobStatus.COMPLETED) {
          // At once, before anything else: the history must already agree with the view.
          List<JobTransition> history = acme.history(id);
          assertEquals(List.of("PENDING", "RUNNING", "COMPLETED"), history.stream().map(t -> t.to().name()).toList(), id);
          assertEquals(view.attempts(), history.get(history.size() - 1).attempt(), id);
          assertEquals(view.finishedAt(), history.get(history.size() - 1).at(), id);
          pending.remove(id);
        }
      }
      return pending.isEmpty();
    });
  }

  @Test
  void aJobStreamSendsEveryTransitionAndEndsAfterTheJobFinishes() throws Exception {
    String id = acme.submit(JobRequest.of("noop").withQueue("sse-a").withDelaySeconds(2L)).job().id();

    List<EventStream.Event> events = readToEnd(acme.events(id, null));

    assertEquals(List.of("SCHEDULED", "PENDING", "RUNNING", "COMPLETED"), events.stream().map(e -> e.transition().to().name()).toList());
    assertNull(events.get(0).transition().from());
    for (EventStream.Event event : events) {
      assertEquals(List.of(id, "sse-a", "noop"), List.of(event.transition().jobId(), event.transition().queue(), event.transition().type()));
    }
    List<JobTransition> history = acme.history(id);
    assertEquals(history.stream().map(t -> Long.toString(t.seqNr())).toList(), events.stream().map(EventStream.Event::id).toList(),
        "the ids are the history's sequence numbers");
    assertEquals(history.stream().map(JobTransition::at).toList(), events.stream().map(e -> e.transition().at()).toList());
  }

  @Test
  void lastEventIdResumesAfterThatEventOnly() throws Exception {
    String id = acme.submit(JobRequest.of("noop")).job().id();
    List<EventStream.Event> all = readToEnd(acme.events(id, null));
    assertEquals(3, all.size(), all.toString());

    List<EventStream.Event> rest = readToEnd(acme.events(id, all.get(0).id()));
    assertEquals(all.subList(1, 3), rest);
    assertEquals(List.of(), readToEnd(acme.events(id, all.get(2).id())), "nothing after the last event: the stream ends at once");
  }

  @Test
  void aFinishedJobsStreamIsTextEventStreamWithIdEventAndData() throws Exception {
    String id = acme.submit(JobRequest.of("noop")).job().id();
    Awaitility.await().atMost(DEADLINE).until(() -> acme.get(id).status() == JobStatus.COMPLETED);

    HttpTestClient.Answer answer = http.send("GET", "/v1/jobs/" + id + "/events", acmeKey, null);

    assertEquals(200, answer.status());
    assertTrue(answer.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"), answer.headers().toString());
    assertEquals("no-cache", answer.headers().firstValue("Cache-Control").orElseThrow());
    String first = answer.text().split("\n\n")[0];
    assertEquals(List.of("id: 1", "event: transition"), List.of(first.split("\n")).subList(0, 2));
    assertTrue(first.split("\n")[2].startsWith("data: {\"jobId\":\"" + id + "\",\"from\":null,\"to\":\"PENDING\""), first);
    assertEquals(3, answer.text().split("event: transition").length - 1);
  }

  @Test
  void aJobStreamIsOnlyForTheJobsTenantAndRefusesBadInput() throws Exception {
    String id = acme.submit(JobRequest.of("noop").withDelaySeconds(3600L)).job().id();
    JobclusterApiException notFound = assertThrowsApi(() -> globex.events(id, null));
    assertEquals(404, notFound.status());
    assertError(http.send("GET", "/v1/jobs/" + id + "/events", acmeKey, null, "Last-Event-ID", "seven"), 400, "invalid_request");
    assertError(http.send("GET", "/v1/events", acmeKey, null, "Last-Event-ID", "1.2"), 400, "invalid_request");
    assertError(http.send("GET", "/v1/events?status=DONE", acmeKey, null), 400, "invalid_request");
    assertError(http.send("GET", "/v1/jobs/not-a-job/events", acmeKey, null), 404, "not_found");
    assertEquals(401, http.send("GET", "/v1/events", null, null).status());

    // A scheduled job's stream stays open (heartbeats) until the job finishes: cancelling ends it.
    try (EventStream stream = acme.events(id, null)) {
      assertEquals(JobStatus.SCHEDULED, stream.next().orElseThrow().transition().to());
      CompletableFuture<Optional<EventStream.Event>> next = CompletableFuture.supplyAsync(stream::next);
      acme.cancel(id);
      assertEquals(JobStatus.CANCELLED, next.get(30, TimeUnit.SECONDS).orElseThrow().transition().to());
      assertFalse(CompletableFuture.supplyAsync(stream::next).get(30, TimeUnit.SECONDS).isPresent());
    }
  }

  @Test
  void theTenantStreamShowsItsOwnJobsFilteredByQueueTypeAndStatus() throws Exception {
    try (Collector completedInA = new Collector(acme.tenantEvents("sse-a", "noop", JobStatus.COMPLETED, null));
        Collector allOfAcme = new Collector(acme.tenantEvents(null, null, null, null))) {
      Set<String> wanted = acme.submitBatch(List.of(JobRequest.of("noop").withQueue("sse-a"), JobRequest.of("noop").withQueue("sse-a")))
          .stream().map(item -> item.job().id()).collect(Collectors.toSet());
      String otherQueue = acme.submit(JobRequest.of("noop").withQueue("sse-b")).job().id();
      String otherType = acme.submit(JobRequest.of("sleep").withQueue("sse-a").withPayload("{\"ms\": 1}")).job().id();
      String otherTenant = globex.submit(JobRequest.of("noop").withQueue("sse-a")).job().id();

      Awaitility.await().atMost(DEADLINE).until(() -> completedInA.jobIds().containsAll(wanted));
      Awaitility.await().atMost(DEADLINE).until(() -> allOfAcme.transitions(otherType).contains(JobStatus.COMPLETED)
          && allOfAcme.transitions(otherQueue).contains(JobStatus.COMPLETED));
      assertEquals(JobStatus.COMPLETED, globex.get(otherTenant).status());

      assertEquals(wanted, Set.copyOf(completedInA.jobIds()), "only acme's completed noop jobs of sse-a");
      assertTrue(completedInA.events().stream().allMatch(e -> e.transition().to() == JobStatus.COMPLETED));
      assertEquals(List.of(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.COMPLETED), allOfAcme.transitions(otherQueue));
      assertFalse(allOfAcme.jobIds().contains(otherTenant), "no other tenant's events");
    }
  }

  @Test
  void theTenantStreamResumesAfterLastEventId() throws Exception {
    String first = acme.submit(JobRequest.of("noop").withQueue("sse-b")).job().id();
    String resumeAt;
    try (Collector stream = new Collector(acme.tenantEvents("sse-b", null, null, "0.0.0.0"))) {
      Awaitility.await().atMost(DEADLINE).until(() -> stream.transitions(first).contains(JobStatus.COMPLETED));
      resumeAt = stream.events().stream().filter(e -> e.transition().jobId().equals(first) && e.transition().to() == JobStatus.COMPLETED)
          .findFirst().orElseThrow().id();
    }
    String second = acme.submit(JobRequest.of("noop").withQueue("sse-b")).job().id();
    Awaitility.await().atMost(DEADLINE).until(() -> acme.get(second).status() == JobStatus.COMPLETED);

    try (Collector resumed = new Collector(acme.tenantEvents("sse-b", null, null, resumeAt))) {
      Awaitility.await().atMost(DEADLINE).until(() -> resumed.transitions(second).contains(JobStatus.COMPLETED));
      assertEquals(List.of(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.COMPLETED), resumed.transitions(second));
      assertEquals(List.of(), resumed.transitions(first), "nothing at or before the resumed event");
    }
  }

  private static List<EventStream.Event> readToEnd(EventStream stream) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        List<EventStream.Event> events = new ArrayList<>();
        for (Optional<EventStream.Event> next = stream.next(); next.isPresent(); next = stream.next()) {
          events.add(next.get());
        }
        return events;
      }
    }).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  private static JobclusterApiException assertThrowsApi(Runnable call) {
    try {
      call.run();
    } catch (JobclusterApiException e) {
      return e;
    }
    throw new AssertionError("expected an API error");
  }

  /** Reads a never-ending stream in the background. */
  private static final class Collector implements AutoCloseable {
    private final EventStream stream;
    private final List<EventStream.Event> events = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    Collector(EventStream stream) {
      this.stream = stream;
      this.reader = new Thread(this::read, "sse-collector");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try {
        for (Optional<EventStream.Event> next = stream.next(); next.isPresent(); next = stream.next()) {
          events.add(next.get());
        }
      } catch (RuntimeException closed) {
        // closed by the test
      }
    }

    List<EventStream.Event> events() {
      synchronized (events) {
        return List.copyOf(events);
      }
    }

    List<String> jobIds() {
      return events().stream().map(e -> e.transition().jobId()).toList();
    }

    List<JobStatus> transitions(String jobId) {
      return events().stream().map(EventStream.Event::transition).filter(t -> t.jobId().equals(jobId)).map(TransitionEvent::to).toList();
    }

    @Override
    public void close() {
      stream.close();
    }
  }
}
