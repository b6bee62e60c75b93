package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.client.EventStream;
import io.jobcluster.protocol.client.JobclusterApiException;
import io.jobcluster.protocol.client.JobclusterClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node serves at most {@code jobcluster.http.max-event-streams} event streams at once: one more
 * is answered 503 {@code unavailable}, and a place frees up when a client leaves.
 */
class EventStreamLimitHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String ADMIN_KEY = "admin-key-for-stream-limit-tests-0123456789";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static JobclusterNode node;
  private static JobclusterClient client;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\njobcluster.http.max-event-streams = 2\n"
        // A heartbeat a second: a stream whose client left fails its next write and frees its place.
        + "jobcluster.http.event-stream-heartbeat = 1s\n"
        + "jobcluster.worker-queues = \"default:2\"\n");
    URI base = URI.create("http://127.0.0.1:" + node.httpAddress().getPort());
    JobclusterClient admin = JobclusterClient.builder().baseUri(base).apiKey(ADMIN_KEY).build();
    client = JobclusterClient.builder().baseUri(base).apiKey(admin.issueKey("watcher", List.of("submit", "read"), "streams").key()).build();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void oneStreamPastTheLimitIsRefusedUntilAnotherLeaves() throws Exception {
    EventStream first = client.tenantEvents(null, null, null, null);
    EventStream second = client.tenantEvents(null, null, null, null);
    // Both streams carry the job's submission, so both run on the node (counted from their start).
    client.submit(JobRequest.of("noop"));
    awaitAnEvent(first);
    awaitAnEvent(second);

    JobclusterApiException refused = assertThrows(JobclusterApiException.class, () -> client.tenantEvents(null, null, null, null));
    assertEquals(503, refused.status());
    assertEquals("unavailable", refused.error());
    assertEquals("this node is serving its limit of 2 event streams; try again", refused.apiMessage());

    first.close();
    EventStream[] third = new EventStream[1];
    Awaitility.await("a place freed by the stream that left").atMost(DEADLINE).ignoreException(JobclusterApiException.class)
        .until(() -> (third[0] = client.tenantEvents(null, null, null, null)) != null);
    client.submit(JobRequest.of("noop"));
    awaitAnEvent(third[0]);
    third[0].close();
    second.close();
  }

  private static void awaitAnEvent(EventStream stream) throws Exception {
    CompletableFuture.supplyAsync(stream::next).get(DEADLINE.toSeconds(), TimeUnit.SECONDS).orElseThrow();
  }
}
