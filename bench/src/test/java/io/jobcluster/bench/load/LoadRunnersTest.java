package io.jobcluster.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.bench.BenchJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator's runners in this JVM against a stand-in API: what they send, count and time. */
class LoadRunnersTest {
  private StandInApi api;
  private LoadTask.Target target;

  @BeforeEach
  void start() throws Exception {
    api = new StandInApi();
    target = new LoadTask.Target(List.of(api.uri(), api.uri()), "jc_test_key");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void anOpenLoopSendsItsScheduleAndTimesAnswersAndStartsFromTheDueTime() {
    OpenLoopResult result = new LoadTask.OpenLoop(target, 200, 1, Duration.ofMillis(200), Duration.ofSeconds(1),
        JobShape.callback(), Duration.ofSeconds(10)).run();

    assertEquals(200, result.requests(), "1 s at 200/s recorded after the warm-up");
    assertEquals(240, api.submitted(), "the warm-up's 40 are sent too");
    assertEquals(200, result.jobsAccepted());
    assertTrue(result.failures().isEmpty(), result.failures().toString());
    Histogram answers = HistogramCodec.decode(result.requestLatency());
    Histogram starts = HistogramCodec.decode(result.startLatency());
    assertEquals(200, answers.getTotalCount());
    assertEquals(200, starts.getTotalCount());
    assertEquals(0, result.callbacksMissing());
    assertTrue(result.lastAnswerEpochMillis() >= result.firstDueEpochMillis());
  }

  @Test
  void anOpenLoopOfBatchesCountsJobsAndRefusals() {
    api.refuseNextBatchItems(3);
    OpenLoopResult result = new LoadTask.OpenLoop(target, 500, 10, Duration.ZERO, Duration.ofMillis(400), JobShape.noop(), Duration.ZERO).run();

    assertEquals(20, result.requests());
    assertEquals(200, result.jobsSent());
    assertEquals(197, result.jobsAccepted());
    assertEquals(3L, result.failures().get("429 rate_limited"));
    assertNull(result.startLatency());
  }

  @Test
  void aBurstResendsRefusedJobsAndReadsBackASample() {
    api.refuseNextBatchItems(5);
    BurstResult result = new LoadTask.Burst(target, 1_000, 100, 4, JobShape.noop().dueIn(Duration.ofHours(1), Duration.ZERO), 10,
        Duration.ZERO).run();

    assertEquals(1_000, result.accepted());
    assertEquals(5, result.refusedThenRetried());
    assertEquals(1_000, api.submitted(), "the refused five were taken when sent again");
    assertTrue(result.failures().isEmpty());
    assertEquals(10, result.gets().asked());
    assertEquals(10, result.gets().answered());
    assertEquals(10L, result.gets().statuses().get("SCHEDULED"));
    assertTrue(result.acceptedPerSecond() > 0);
    assertNull(result.lateness());
  }

  @Test
  void aBurstOfDueJobsMeasuresHowLateEachCalled() {
    BurstResult result = new LoadTask.Burst(target, 200, 50, 2, JobShape.callback().dueIn(Duration.ofMillis(500), Duration.ofMillis(500)),
        0, Duration.ofSeconds(10)).run();

    BurstResult.Lateness lateness = result.lateness();
    assertNotNull(lateness);
    assertEquals(200, lateness.expected());
    assertEquals(200, lateness.arrived());
    // The stand-in runs jobs at once, before their runAt: the bench must report that as early.
    assertEquals(200, lateness.early() + lateness.submittedLate());
    assertTrue(lateness.earliestMicros() <= 0);
  }

  @Test
  void mixedClientsMakeEveryKindOfRequest() {
    MixedResult result = new LoadTask.Mixed(target, 4, Duration.ofMillis(500)).run();

    assertEquals(4, result.clients());
    for (String operation : List.of("submit", "get", "list", "cancel", MixedResult.ALL)) {
      MixedResult.Operation seen = result.operations().get(operation);
      assertTrue(seen.answered() > 0, operation);
      assertTrue(seen.failures().isEmpty(), operation + " " + seen.failures());
      assertEquals(seen.answered(), HistogramCodec.decode(seen.latency()).getTotalCount());
    }
    long parts = result.operations().entrySet().stream().filter(e -> !e.getKey().equals(MixedResult.ALL))
        .mapToLong(e -> e.getValue().answered()).sum();
    assertEquals(parts, result.operations().get(MixedResult.ALL).answered());
  }

  @Test
  void aFailedRequestIsCountedByItsKind() {
    LoadTask.Target nowhere = new LoadTask.Target(List.of(java.net.URI.create("http://127.0.0.1:1")), "k");
    OpenLoopResult result = new LoadTask.OpenLoop(nowhere, 50, 1, Duration.ZERO, Duration.ofMillis(100), JobShape.noop(), Duration.ZERO).run();
    assertEquals(0, result.requestsAnswered());
    assertEquals(5L, result.failures().get("ConnectException"));
  }

  @Test
  void aTaskAndItsResultTravelAsJson(@TempDir Path dir) throws Exception {
    LoadTask task = new LoadTask.Burst(target, 10, 5, 1, JobShape.callback().dueIn(Duration.ofSeconds(1), Duration.ofSeconds(2)), 0,
        Duration.ofSeconds(3));
    BenchJson.write(dir.resolve("task.json"), task);
    assertTrue(Files.readString(dir.resolve("task.json")).contains("\"kind\" : \"burst\""));
    assertEquals(task, BenchJson.read(dir.resolve("task.json"), LoadTask.class));
  }
}
