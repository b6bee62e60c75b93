package io.jobcluster.node.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a schedule fires when it wakes: on time, and after downtime under each misfire policy. */
class FirePlanTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration THRESHOLD = Duration.ofSeconds(30);
  private static final ScheduleTiming EVERY_MINUTE = ScheduleTiming.of("* * * * *", null, null, null, null, T0);

  private static Instant minute(int n) {
    return T0.plus(Duration.ofMinutes(n));
  }

  @Test
  void anOnTimeFireFiresWhateverThePolicy() {
    for (MisfirePolicy policy : MisfirePolicy.values()) {
      FirePlan plan = FirePlan.at(minute(1).plusSeconds(2), minute(1), EVERY_MINUTE, policy, THRESHOLD, 100);
      assertEquals(new FirePlan(List.of(minute(1)), 0, minute(2)), plan, policy.name());
    }
  }

  @Test
  void fireOnceSubmitsOneJobForEveryMissedFireTime() {
    FirePlan plan = FirePlan.at(minute(10).plusSeconds(10), minute(1), EVERY_MINUTE, MisfirePolicy.FIRE_ONCE, THRESHOLD, 100);
    // 01..09 missed (older than 30 s): one job for them, at the earliest; 10 is on time.
    assertEquals(new FirePlan(List.of(minute(1), minute(10)), 8, minute(11)), plan);
  }

  @Test
  void fireAllSubmitsEveryMissedFireTimeUpToTheCap() {
    assertEquals(new FirePlan(List.of(minute(1), minute(2), minute(3)), 0, minute(4)),
        FirePlan.at(minute(3).plusSeconds(50), minute(1), EVERY_MINUTE, MisfirePolicy.FIRE_ALL, THRESHOLD, 100));
    assertEquals(new FirePlan(List.of(minute(1), minute(2), minute(3)), 7, minute(11)),
        FirePlan.at(minute(10).plusSeconds(40), minute(1), EVERY_MINUTE, MisfirePolicy.FIRE_ALL, THRESHOLD, 3));
  }

  @Test
  void skipPassesOverMissedFireTimes() {
    assertEquals(new FirePlan(List.of(), 9, minute(10)),
        FirePlan.at(minute(9).plusSeconds(40), minute(1), EVERY_MINUTE, MisfirePolicy.SKIP, THRESHOLD, 100));
  }

  @Test
  void nothingIsDueBeforeTheNextFireTime() {
    FirePlan plan = FirePlan.at(minute(1).minusSeconds(1), minute(1), EVERY_MINUTE, MisfirePolicy.FIRE_ONCE, THRESHOLD, 100);
    assertEquals(new FirePlan(List.of(), 0, minute(1)), plan);
  }

  @Test
  void aVeryLongDowntimeIsSkippedWithoutWalkingEveryFireTime() {
    ScheduleTiming everySecond = ScheduleTiming.of(null, 1L, null, null, null, T0);
    Instant now = T0.plus(Duration.ofDays(30));
    FirePlan plan = FirePlan.at(now, T0, everySecond, MisfirePolicy.FIRE_ONCE, THRESHOLD, 100);
    assertEquals(List.of(T0), plan.fire());
    assertEquals(FirePlan.MAX_SCAN - 1, plan.skipped());
    assertEquals(now.plusSeconds(1), plan.next());
  }

  @Test
  void aScheduleAtItsEndHasNoNextFireTime() {
    ScheduleTiming ending = ScheduleTiming.of(null, 60L, null, null, minute(2), T0);
    assertEquals(new FirePlan(List.of(minute(2)), 0, null),
        FirePlan.at(minute(2).plusSeconds(1), minute(2), ending, MisfirePolicy.FIRE_ONCE, THRESHOLD, 100));
  }
}
