package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.client.JobclusterApiException;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.wire.ScheduleJson;
import io.jobcluster.protocol.wire.ScheduleRequest;
import io.jobcluster.protocol.wire.ScheduleRun;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recurring schedules on a real node with a real PostgreSQL, through the Java client: jobs every
 * second with distinct fire times and no duplicates, pause and resume, bad input, tenants, changes,
 * and the misfire policy applied by a node started after downtime.
 */
class SchedulesHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String ADMIN_KEY = "admin-key-for-schedule-tests-0123456789";
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  /** A fire time more than a second late counts as missed, so a short downtime already shows the misfire policy. */
  private static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(1);
  private static final String CONFIG = "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\njobcluster.worker-queues = \"default:4\"\n"
      + "jobcluster.schedules.misfire-threshold = " + MISFIRE_THRESHOLD.toSeconds() + "s\njobcluster.job-types.disabled = [\"sleep\"]\n" + TestNodes.UNLIMITED_SUBMISSIONS;

  private static JobclusterNode node;
  private static JobclusterClient admin;
  private static JobclusterClient client;
  private static JobclusterClient other;
  private static JobclusterClient reader;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), CONFIG);
    connect();
  }

  /** Clients of the current node (a restarted node listens on other ports); keys are issued afresh. */
  private static void connect() {
    admin = clientWith(ADMIN_KEY);
    client = clientWith(admin.issueKey("sched", List.of("submit", "read"), "schedules").key());
    reader = clientWith(admin.issueKey("sched", List.of("read"), "schedules, read only").key());
    other = clientWith(admin.issueKey("other", List.of("submit", "read"), "another tenant").key());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JobclusterClient clientWith(String key) {
    URI base = URI.create("http://127.0.0.1:" + node.httpAddress().getPort());
    return JobclusterClient.builder().baseUri(base).apiKey(key).requestTimeout(Duration.ofSeconds(60)).build();
  }

  /** A counter of this node's {@code /metrics} (management port). */
  private static double metric(String name) throws Exception {
    String text = HttpTestClient.management(node).send("GET", "/metrics", null, null).text();
    return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  private static List<Instant> fireTimes(ScheduleJson schedule) {
    return schedule.lastRuns().stream().map(ScheduleRun::fireTime).sorted().toList();
  }

  private static ScheduleJson awaitSchedule(String id, java.util.function.Predicate<ScheduleJson> done) {
    AtomicReference<ScheduleJson> reached = new AtomicReference<>();
    Awaitility.await().atMost(DEADLINE).untilAsserted(() -> {
      ScheduleJson schedule = client.schedule(id);
      assertTrue(done.test(schedule), () -> "last: " + schedule);
      reached.set(schedule);
    });
    return reached.get();
  }

  private static void assertNoDuplicates(ScheduleJson schedule) {
    Set<Instant> fireTimes = new HashSet<>();
    Set<String> jobIds = new HashSet<>();
    for (ScheduleRun run : schedule.lastRuns()) {
      assertTrue(fireTimes.add(run.fireTime()), "fire time twice: " + run);
      assertTrue(jobIds.add(run.jobId()), "job twice: " + run);
    }
  }

  @Test
  void anEverySecondScheduleSubmitsOneJobPerFireTimeAndPauseStopsIt() throws Exception {
    ScheduleJson created = client.createSchedule(ScheduleRequest.cron("*/1 * * * * *", JobRequest.of("noop")).withId("every-second"));
    assertEquals("every-second", created.id());
    assertEquals(5, created.nextFireTimes().size());
    assertEquals("UTC", created.timeZone());
    assertEquals("fire_once", created.misfire());
    assertEquals("allow", created.overlap());

    ScheduleJson running = awaitSchedule("every-second", schedule -> schedule.lastRuns().stream().filter(run -> run.status() == JobStatus.COMPLETED).count() >= 4);
    assertNoDuplicates(running);
    for (ScheduleRun run : running.lastRuns()) {
      assertEquals(0, run.fireTime().getNano(), "fire times are whole seconds: " + run);
      if (run.status() == JobStatus.COMPLETED) {
        assertEquals(JobStatus.COMPLETED, client.get(run.jobId()).status(), "the run's job is a real job");
      }
    }

    ScheduleJson paused = client.pauseSchedule("every-second");
    assertTrue(paused.paused());
    assertEquals(List.of(), paused.nextFireTimes());
    Instant newestAfterPause = Collections.max(fireTimes(client.schedule("every-second")));
    Awaitility.await().during(Duration.ofSeconds(3)).atMost(DEADLINE)
        .until(() -> Collections.max(fireTimes(client.schedule("every-second"))).equals(newestAfterPause));

    ScheduleJson resumed = client.resumeSchedule("every-second");
    assertFalse(resumed.paused());
    awaitSchedule("every-second", schedule -> Collections.max(fireTimes(schedule)).isAfter(newestAfterPause.plusSeconds(3)));
    assertNoDuplicates(client.schedule("every-second"));
    assertTrue(metric("jobcluster_schedule_fires_total") >= 4, "fires are counted");
    client.deleteSchedule("every-second");
  }

  @Test
  void badInputIsRefusedWithTheFieldAndCreatesNothing() {
    JobRequest noop = JobRequest.of("noop");
    Instant now = Instant.now();
    List<String> before = scheduleIds();
    assertRefused("cron", ScheduleRequest.cron("61 * * * *", noop));
    assertRefused("cron", ScheduleRequest.cron("* * *", noop));
    assertRefused("timeZone", ScheduleRequest.cron("* * * * *", noop).withTimeZone("Mars/Olympus_Mons"));
    assertRefused("cron", new ScheduleRequest(null, "* * * * *", 5L, null, noop, null, null, null, null, null));
    assertRefused("cron", new ScheduleRequest(null, null, null, null, noop, null, null, null, null, null));
    assertRefused("intervalSeconds", ScheduleRequest.every(0, noop));
    assertRefused("endAt", ScheduleRequest.every(5, noop).withBounds(now.plusSeconds(60), now));
    assertRefused("misfire", ScheduleRequest.every(5, noop).withMisfire("sometimes"));
    assertRefused("overlap", ScheduleRequest.every(5, noop).withOverlap("never"));
    assertRefused("job", ScheduleRequest.every(5, null));
    assertRefused("job.priority", ScheduleRequest.every(5, noop.withPriority(99)));
    assertRefused("job.runAt", ScheduleRequest.every(5, noop.withRunAt(now)));
    assertRefused("id", ScheduleRequest.every(5, noop).withId("no/slashes"));
    JobclusterApiException disabled = assertThrows(JobclusterApiException.class, () -> client.createSchedule(ScheduleRequest.every(5, JobRequest.of("sleep"))));
    assertEquals(403, disabled.status());
    assertEquals("job_type_disabled", disabled.error());
    assertEquals(before, scheduleIds());
  }

  private static List<String> scheduleIds() {
    return client.schedules().stream().map(ScheduleJson::id).sorted().toList();
  }

  private static void assertRefused(String field, ScheduleRequest request) {
    JobclusterApiException refused = assertThrows(JobclusterApiException.class, () -> client.createSchedule(request), field);
    assertEquals(400, refused.status(), field);
    assertEquals("invalid_request", refused.error(), field);
    assertTrue(refused.apiMessage().startsWith(field + ":"), refused.apiMessage());
  }

  @Test
  void aScheduleBelongsToItsTenantAndNeedsTheScopes() {
    client.createSchedule(ScheduleRequest.cron("0 9 * * 1-5", JobRequest.of("noop")).withId("keep-tenant").withTimeZone("Europe/Berlin"));
    assertEquals(404, assertThrows(JobclusterApiException.class, () -> other.schedule("keep-tenant")).status());
    assertEquals(404, assertThrows(JobclusterApiException.class, () -> other.pauseSchedule("keep-tenant")).status());
    assertEquals(404, assertThrows(JobclusterApiException.class, () -> other.deleteSchedule("keep-tenant")).status());
    assertFalse(other.schedules().stream().anyMatch(schedule -> schedule.id().equals("keep-tenant")));
    assertEquals(403, assertThrows(JobclusterApiException.class,
        () -> reader.createSchedule(ScheduleRequest.every(5, JobRequest.of("noop")))).status());
    assertEquals(403, assertThrows(JobclusterApiException.class, () -> reader.pauseSchedule("keep-tenant")).status());
    assertEquals("keep-tenant", reader.schedule("keep-tenant").id());
    assertTrue(reader.schedules().stream().anyMatch(schedule -> schedule.id().equals("keep-tenant")));
  }

  @Test
  void aChangeRecomputesTheFireTimesAndADeletedScheduleIsGone() {
    ScheduleRequest request = ScheduleRequest.cron("30 2 * * *", JobRequest.of("noop")).withId("changing").withTimeZone("America/New_York");
    ScheduleJson created = client.createSchedule(request);
    assertEquals(5, created.nextFireTimes().size());
    assertEquals(created.id(), client.createSchedule(request).id(), "the same request again answers the schedule");
    assertEquals(409, assertThrows(JobclusterApiException.class, () -> client.createSchedule(request.withTimeZone("UTC"))).status());

    ScheduleJson changed = client.changeSchedule("changing", new ScheduleRequest(null, null, 3600L, null, null, "skip", "queue_one", null, null, null));
    assertEquals(null, changed.cron());
    assertEquals(3600L, changed.intervalSeconds());
    assertEquals("skip", changed.misfire());
    assertEquals("queue_one", changed.overlap());
    assertEquals("America/New_York", changed.timeZone());
    List<Instant> next = changed.nextFireTimes();
    for (int i = 1; i < next.size(); i++) {
      assertEquals(Duration.ofHours(1), Duration.between(next.get(i - 1), next.get(i)));
    }
    assertEquals(400, assertThrows(JobclusterApiException.class,
        () -> client.changeSchedule("changing", new ScheduleRequest(null, "bad", null, null, null, null, null, null, null, null))).status());

    client.deleteSchedule("changing");
    assertEquals(404, assertThrows(JobclusterApiException.class, () -> client.schedule("changing")).status());
    assertFalse(client.schedules().stream().anyMatch(schedule -> schedule.id().equals("changing")));
    ScheduleJson again = client.createSchedule(request.withTimeZone("UTC"));
    assertEquals("UTC", again.timeZone(), "a deleted schedule's id can be used again");
    client.deleteSchedule("changing");
  }

  @Test
  void aNodeStartedAfterDowntimeFiresOnceForTheMissedFireTimes() throws Exception {
    client.createSchedule(ScheduleRequest.every(1, JobRequest.of("noop")).withId("across-restart"));
    awaitSchedule("across-restart", schedule -> schedule.lastRuns().size() >= 2);
    node.close();
    // The downtime: several fire times pass beyond the misfire threshold while no node runs (a
    // node here stops and starts within a second or two, too short to miss more than one).
    Instant stopped = Instant.now();
    Awaitility.await("a downtime of 4 s").atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(stopped.plusSeconds(4)));
    Instant restarting = Instant.now();
    node = TestNodes.start(POSTGRES.settings(), CONFIG);
    connect();

    ScheduleJson after = awaitSchedule("across-restart", schedule -> Collections.max(fireTimes(schedule)).isAfter(restarting));
    assertNoDuplicates(after);
    List<Instant> times = fireTimes(after);
    // Before the stop every second fired; the first missed one fired once for all missed; the next fire is on time.
    int gap = -1;
    for (int i = 1; i < times.size(); i++) {
      if (Duration.between(times.get(i - 1), times.get(i)).compareTo(Duration.ofSeconds(1)) > 0) {
        gap = i;
        break;
      }
    }
    assertTrue(gap > 0, "missed fire times were skipped: " + times);
    assertTrue(times.get(gap - 1).isBefore(restarting), "the fire for the missed ones is the first missed: " + times);
    // On time is within the misfire threshold of the restarted node's first look, which comes
    // after `restarting`: the newest fire time before that look can be just before `restarting`.
    assertTrue(times.get(gap).isAfter(restarting.minus(MISFIRE_THRESHOLD)), "then on time: " + times + " restarting at " + restarting);
    assertTrue(metric("jobcluster_schedule_misfires_skipped_total") >= 1, "the missed fire times passed over are counted");
    client.deleteSchedule("across-restart");
  }
}
