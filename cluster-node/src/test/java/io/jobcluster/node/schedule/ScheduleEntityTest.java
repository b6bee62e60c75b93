package io.jobcluster.node.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.jobcluster.node.job.MutableClock;
import io.jobcluster.node.json.NodeJson;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The schedule entity with the in-memory journal and manual time: firing, recovery, misfire and overlap policies, pause, bounds. */
class ScheduleEntityTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final ActorTestKit TEST_KIT = ActorTestKit.create("ScheduleEntityTest", ConfigFactory.parseString(
          "pekko.persistence.testkit.journal.circuit-breaker.call-timeout = 3650d\n"
              + "pekko.persistence.testkit.snapshotstore.pluginid.circuit-breaker.call-timeout = 3650d")
      .withFallback(ManualTime.config())
      .withFallback(EventSourcedBehaviorTestKit.config())
      .withFallback(ConfigFactory.parseResources("serialization.conf"))
      .withFallback(ConfigFactory.defaultReference())
      .resolve());
  private static final ManualTime MANUAL_TIME = ManualTime.get(TEST_KIT.system());
  private static int ids;

  private final MutableClock clock = new MutableClock(START);
  private final RecordingJobs jobs = new RecordingJobs();
  private final ScheduleSettings settings = new ScheduleSettings(clock, jobs, Duration.ofSeconds(30), 100, Duration.ofSeconds(2),
      Duration.ofSeconds(2), ScheduleObserver.NONE);
  private String scheduleId;
  private EventSourcedBehaviorTestKit<ScheduleEntity.Command, ScheduleEvent, ScheduleState> kit;

  @BeforeEach
  void newSchedule() {
    // Each test gets a schedule of its own; the journal and the scheduler are shared.
    scheduleId = "s" + ++ids;
    kit = EventSourcedBehaviorTestKit.create(TEST_KIT.system(), ScheduleEntity.create(ScheduleIds.entityId("acme", scheduleId), settings, null));
  }

  @AfterAll
  static void stop() {
    TEST_KIT.shutdownTestKit();
  }

  private static ScheduleDefinition every(long seconds, MisfirePolicy misfire, OverlapPolicy overlap) {
    return new ScheduleDefinition(null, seconds, "UTC", NodeJson.write(JobRequest.of("noop")), misfire, overlap, null, null);
  }

  private ScheduleReply ask(Function<ActorRef<ScheduleReply>, ScheduleEntity.Command> command) {
    return kit.<ScheduleReply>runCommand(command::apply).reply();
  }

  private ScheduleState create(ScheduleDefinition definition) {
    ScheduleReply.Accepted created = assertInstanceOf(ScheduleReply.Accepted.class, ask(replyTo -> new ScheduleEntity.Create(definition, false, replyTo)));
    assertTrue(created.created());
    return created.schedule();
  }

  private void timePasses(Duration duration) {
    clock.advance(duration);
    MANUAL_TIME.timePasses(duration);
  }

  private String key(Instant fireTime) {
    return ScheduleIds.idempotencyKey(scheduleId, fireTime);
  }

  private List<ScheduleState.Run> runs() {
    return kit.getState().runs();
  }

  @Test
  void firesAJobAtEachFireTimeUnderAKeyOfScheduleAndFireTime() {
    ScheduleState created = create(every(60, MisfirePolicy.FIRE_ONCE, OverlapPolicy.ALLOW));
    Instant first = clock.instant().plusSeconds(60);
    assertEquals(first, created.nextFireAt());

    timePasses(Duration.ofSeconds(60));
    await().untilAsserted(() -> assertEquals(List.of(key(first)), jobs.keys()));
    timePasses(Duration.ofSeconds(60));
    await().untilAsserted(() -> assertEquals(List.of(key(first), key(first.plusSeconds(60))), jobs.keys()));

    await().untilAsserted(() -> assertTrue(runs().stream().allMatch(ScheduleState.Run::submitted)));
    assertEquals(List.of(jobs.jobIdFor("acme", key(first.plusSeconds(60))), jobs.jobIdFor("acme", key(first))),
        runs().stream().map(ScheduleState.Run::jobId).toList(), "newest first, job ids derived from the keys");
    assertEquals(first.plusSeconds(120), kit.getState().nextFireAt());
  }

  /**
   * A daily 02:30 in New York across the spring-forward gap (2026-03-08, no 02:30 that day: fired at
   * 03:30 EDT) and a daily 01:30 across the fall-back overlap (2026-11-01, 01:30 twice: fired at
   * the first only), each on its day and once, as the running entity fires them.
   */
  @Test
  void aDailyScheduleInNewYorkFiresOnceADayAcrossBothDaylightSavingChanges() {
    clock.advance(Duration.between(START, Instant.parse("2026-03-07T12:00:00Z")));
    create(daily("30 2 * * *"));
    List<Instant> spring = List.of(Instant.parse("2026-03-08T07:30:00Z"), Instant.parse("2026-03-09T06:30:00Z"));
    spring.forEach(this::firesAt);
    assertEquals(spring.stream().map(this::key).toList(), jobs.keys());
  }

  @Test
  void aDailyScheduleInNewYorkFiresOnceOnTheDayItsWallTimeHappensTwice() {
    clock.advance(Duration.between(START, Instant.parse("2026-10-31T12:00:00Z")));
    create(daily("30 1 * * *"));
    List<Instant> fall = List.of(Instant.parse("2026-11-01T05:30:00Z"), Instant.parse("2026-11-02T06:30:00Z"));
    fall.forEach(this::firesAt);
    assertEquals(fall.stream().map(this::key).toList(), jobs.keys(), "not at 2026-11-01T06:30Z, the second 01:30");
  }

  private static ScheduleDefinition daily(String cron) {
    return new ScheduleDefinition(cron, null, "America/New_York", NodeJson.write(JobRequest.of("noop")), MisfirePolicy.FIRE_ONCE,
        OverlapPolicy.ALLOW, null, null);
  }

  /** Moves time to {@code fireTime} and waits for the fire's job (timers re-armed meanwhile are nudged). */
  private void firesAt(Instant fireTime) {
    assertEquals(fireTime, kit.getState().nextFireAt(), "the next fire time");
    timePasses(Duration.between(clock.instant(), fireTime));
    await().untilAsserted(() -> {
      MANUAL_TIME.timePasses(Duration.ofMillis(1));
      assertTrue(jobs.keys().contains(key(fireTime)), "fired at " + fireTime);
    });
  }

  @Test
  void aFireTheStoreDidNotAcceptIsSubmittedAgainAfterRecoveryUnderTheSameKey() {
    create(every(60, MisfirePolicy.FIRE_ONCE, OverlapPolicy.ALLOW));
    Instant fireTime = clock.instant().plusSeconds(60);
    jobs.answering = false;
    timePasses(Duration.ofSeconds(60));
    await().untilAsserted(() -> assertFalse(jobs.submissions.isEmpty()));
    assertFalse(runs().get(0).submitted(), "the intent is persisted, the submission not acknowledged");

    jobs.answering = true;
    kit.restart();
    await().untilAsserted(() -> assertTrue(runs().get(0).submitted()));
    assertEquals(List.of(key(fireTime)), jobs.keys(), "every submission was of the same fire time's key");
    assertEquals(1, jobs.jobs.size(), "one job");
  }

  @Test
  void anUnansweredSubmissionIsRetriedAfterTheRetryDelay() {
    create(every(60, MisfirePolicy.FIRE_ONCE, OverlapPolicy.ALLOW));
    jobs.answering = false;
    timePasses(Duration.ofSeconds(60));
    await().untilAsserted(() -> assertEquals(1, jobs.submissions.size()));
    jobs.answering = true;
    timePasses(Duration.ofSeconds(2));
    await().untilAsserted(() -> assertTrue(runs().get(0).submitted()));
    assertEquals(1, jobs.jobs.size());
  }

  @Test
  void fireOnceAfterDowntimeSubmitsOneJobForTheMissedFireTimes() {
    create(every(60, MisfirePolicy.FIRE_ONCE, OverlapPolicy.ALLOW));
    Instant first = clock.instant().plusSeconds(60);
    clock.advance(Duration.ofMinutes(10).plusSeconds(10)); // no node ran the schedule meanwhile
    kit.restart();
    MANUAL_TIME.timePasses(Duration.ofMillis(1));
    // 01..09 missed: one job, at the first; 10 (10 s ago) is on time.
    await().untilAsserted(() -> assertEquals(List.of(key(first), key(first.plusSeconds(540))), jobs.keys()));
    assertEquals(first.plusSeconds(600), kit.getState().nextFireAt());
  }

  @Test
  void fireAllAfterDowntimeSubmitsEveryMissedFireTime() {
    create(every(60, MisfirePolicy.FIRE_ALL, OverlapPolicy.ALLOW));
    clock.advance(Duration.ofMinutes(5).plusSeconds(40));
    kit.restart();
    MANUAL_TIME.timePasses(Duration.ofMillis(1));
    await().untilAsserted(() -> assertEquals(5, jobs.keys().size()));
    await().untilAsserted(() -> assertEquals(5, runs().stream().filter(ScheduleState.Run::submitted).count()));
  }

  @Test
  void skipAfterDowntimeSubmitsNothingForMissedFireTimes() {
    create(every(60, MisfirePolicy.SKIP, OverlapPolicy.ALLOW));
    Instant start = clock.instant();
    clock.advance(Duration.ofMinutes(5).plusSeconds(40));
    kit.restart();
    MANUAL_TIME.timePasses(Duration.ofMillis(1));
    await().untilAsserted(() -> assertEquals(start.plusSeconds(360), kit.getState().nextFireAt()));
    assertTrue(jobs.submissions.isEmpty());
  }

  @Test
  void aPausedScheduleDoesNotFireAndResumesAfterNow() {
    create(every(60, MisfirePolicy.FIRE_ONCE, OverlapPolicy.ALLOW));
    Instant start = clock.instant();
    assertTrue(assertInstanceOf(ScheduleReply.Accepted.class, ask(ScheduleEntity.Pause::new)).schedule().paused());
    timePasses(Duration.ofSeconds(150));
    assertTrue(jobs.submissions.isEmpty());

    ScheduleState resumed = assertInstanceOf(ScheduleReply.Accepted.class, ask(ScheduleEntity.Resume::new)).schedule();
    assertFalse(resumed.paused());
    assertEquals(start.plusSeconds(180), resumed.nextFireAt(), "fire times passed while paused are not fired");
    timePasses(Duration.ofSeconds(30));
    await().untilAsserted(() -> assertEquals(List.of(key(start.plusSeconds(180))), jobs.keys()));
  }

  @Test
  void overlapSkipPassesOverAFireWhileThePreviousRunIsActive() {
    create(every(60, MisfirePolicy.FIRE_ONCE, OverlapPolicy.SKIP));
    Instant first = clock.instant().plusSeconds(60);
    timePasses(Duration.ofSeconds(60));
    await().untilAsserted(() -> assertTrue(runs().get(0).submitted()));
    jobs.jobs.put(jobs.jobIdFor("acme", key(first)), JobStatus.RUNNING);

    timePasses(Duration.ofSeconds(60));
    await().untilAsserted(() -> assertEquals(first.plusSeconds(120), kit.getState().nextFireAt()));
    assertEquals(List.of(key(first)), jobs.keys(), "skipped while the first runs");

    jobs.jobs.put(jobs.jobIdFor("acme", key(first)), JobStatus.COMPLETED);
    timePasses(Duration.ofSeconds(60));
    await().untilAsserted(() -> assertEquals(List.of(key(first), key(first.plusSeconds(120))), jobs.keys()));
  }

  @Test
  void overlapQueueOneRunsOneWaitingFireWhenThePreviousRunFinishes() {
    create(every(60, MisfirePolicy.FIRE_ONCE, OverlapPolicy.QUEUE_ONE));
    Instant first = clock.instant().plusSeconds(60);
    timePasses(Duration.ofSeconds(60));
    await().untilAsserted(() -> assertTrue(runs().get(0).submitted()));
    String firstJob = jobs.jobIdFor("acme", key(first));
    jobs.jobs.put(firstJob, JobStatus.RUNNING);

    timePasses(Duration.ofSeconds(60));
    await().untilAsserted(() -> assertEquals(first.plusSeconds(60), kit.getState().queued()));
    timePasses(Duration.ofSeconds(60));
    await().untilAsserted(() -> assertEquals(first.plusSeconds(180), kit.getState().nextFireAt()));
    assertEquals(first.plusSeconds(60), kit.getState().queued(), "a second waiting fire is skipped, the first stays");
    assertEquals(List.of(key(first)), jobs.keys());

    jobs.jobs.put(firstJob, JobStatus.FAILED);
    timePasses(Duration.ofSeconds(2));
    await().untilAsserted(() -> assertEquals(List.of(key(first), key(first.plusSeconds(60))), jobs.keys()));
    await().untilAsserted(() -> assertNull(kit.getState().queued()));
  }

  @Test
  void noFireAfterTheEndBound() {
    Instant start = clock.instant();
    ScheduleState created = create(new ScheduleDefinition(null, 60L, "UTC", NodeJson.write(JobRequest.of("noop")), MisfirePolicy.FIRE_ONCE,
        OverlapPolicy.ALLOW, start.plusSeconds(60), start.plusSeconds(120)));
    assertEquals(start.plusSeconds(60), created.nextFireAt());
    timePasses(Duration.ofSeconds(60));
    timePasses(Duration.ofSeconds(60));
    await().untilAsserted(() -> assertEquals(2, jobs.keys().size()));
    await().untilAsserted(() -> assertNull(kit.getState().nextFireAt()));
    timePasses(Duration.ofSeconds(600));
    assertEquals(2, jobs.keys().size());
  }

  @Test
  void aChangeRecomputesTheNextFireTime() {
    create(every(3600, MisfirePolicy.FIRE_ONCE, OverlapPolicy.ALLOW));
    Instant start = clock.instant();
    ScheduleDefinition everyMinute = new ScheduleDefinition("* * * * *", null, "UTC", NodeJson.write(JobRequest.of("noop")),
        MisfirePolicy.FIRE_ONCE, OverlapPolicy.ALLOW, null, null);
    ScheduleState changed = assertInstanceOf(ScheduleReply.Accepted.class, ask(replyTo -> new ScheduleEntity.Change(everyMinute, replyTo))).schedule();
    assertEquals(start.plusSeconds(60), changed.nextFireAt());
    assertEquals(everyMinute, changed.definition());
  }

  @Test
  void creatingAgainAnswersTheSameScheduleOrRefusesAnotherDefinition() {
    ScheduleDefinition definition = every(60, MisfirePolicy.FIRE_ONCE, OverlapPolicy.ALLOW);
    create(definition);
    assertFalse(assertInstanceOf(ScheduleReply.Accepted.class, ask(replyTo -> new ScheduleEntity.Create(definition, false, replyTo))).created());
    ScheduleReply.Rejected conflict = assertInstanceOf(ScheduleReply.Rejected.class,
        ask(replyTo -> new ScheduleEntity.Create(every(30, MisfirePolicy.FIRE_ONCE, OverlapPolicy.ALLOW), false, replyTo)));
    assertEquals(ErrorCode.IDEMPOTENCY_CONFLICT, conflict.error());
  }

  @Test
  void aDeletedOrUnknownScheduleIsNotFoundAndDoesNotFire() {
    assertEquals(ErrorCode.NOT_FOUND, assertInstanceOf(ScheduleReply.Rejected.class, ask(ScheduleEntity.Get::new)).error());
    create(every(60, MisfirePolicy.FIRE_ONCE, OverlapPolicy.ALLOW));
    assertInstanceOf(ScheduleReply.Accepted.class, ask(ScheduleEntity.Delete::new));
    assertEquals(ErrorCode.NOT_FOUND, assertInstanceOf(ScheduleReply.Rejected.class, ask(ScheduleEntity.Pause::new)).error());
    timePasses(Duration.ofSeconds(120));
    assertTrue(jobs.submissions.isEmpty());
  }
}
