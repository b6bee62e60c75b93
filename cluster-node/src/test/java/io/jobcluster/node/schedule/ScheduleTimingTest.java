package io.jobcluster.node.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.protocol.InvalidRequestException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Next fire times: cron with 5 and 6 fields, intervals, bounds, and daylight-saving changes in real zones. */
class ScheduleTimingTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static ScheduleTiming cron(String expression, String zone) {
    return ScheduleTiming.of(expression, null, zone, null, null, CREATED);
  }

  private static Instant at(String text) {
    return Instant.parse(text);
  }

  private static Instant wall(String localDateTime, ZoneId zone, String offset) {
    return ZonedDateTime.parse(localDateTime + offset + "[" + zone.getId() + "]").toInstant();
  }

  @Test
  void fiveFieldCronFiresEveryMatchingMinuteInUtc() {
    assertEquals(List.of(at("2026-03-02T09:30:00Z"), at("2026-03-03T09:30:00Z")),
        cron("30 9 * * 1-5", null).next(at("2026-03-01T12:00:00Z"), 2));
  }

  @Test
  void sixFieldCronHasSecondsFirst() {
    assertEquals(List.of(at("2026-01-01T00:00:01Z"), at("2026-01-01T00:00:02Z"), at("2026-01-01T00:00:03Z")),
        cron("*/1 * * * * *", null).next(CREATED, 3));
    assertEquals(List.of(at("2026-01-01T00:00:15Z"), at("2026-01-01T00:00:45Z")), cron("15,45 * * * * *", null).next(CREATED, 2));
  }

  @Test
  void fireTimesAreWholeSecondsWhateverTheInstantTheyFollow() {
    Instant fractional = Instant.parse("2026-01-01T00:00:20.265600766Z");
    assertEquals(at("2026-01-01T00:00:21Z"), cron("*/1 * * * * *", null).nextAfter(fractional).orElseThrow());
    assertEquals(at("2026-01-01T00:01:00Z"), cron("* * * * *", null).nextAfter(fractional).orElseThrow());
    assertEquals(at("2026-01-01T00:00:25Z"), ScheduleTiming.of(null, 5L, null, null, null, fractional).nextAfter(fractional).orElseThrow());
  }

  @Test
  void nextFireTimeIsStrictlyAfterTheGivenInstant() {
    assertEquals(at("2026-01-01T01:00:00Z"), cron("0 * * * *", null).nextAfter(at("2026-01-01T00:00:00Z")).orElseThrow());
  }

  @Test
  void cronIsReadInTheScheduleTimeZone() {
    // 09:00 in Berlin is 08:00 UTC in winter, 07:00 UTC in summer.
    ScheduleTiming nineInBerlin = cron("0 9 * * *", "Europe/Berlin");
    assertEquals(at("2026-01-01T08:00:00Z"), nineInBerlin.nextAfter(CREATED).orElseThrow());
    assertEquals(at("2026-07-01T07:00:00Z"), nineInBerlin.nextAfter(at("2026-06-30T12:00:00Z")).orElseThrow());
  }

  @Test
  void aWallTimeInTheSpringForwardGapFiresAtTheShiftedInstant() {
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist that day.
    ScheduleTiming halfPastTwo = cron("30 2 * * *", "America/New_York");
    assertEquals(List.of(wall("2026-03-07T02:30", NEW_YORK, "-05:00"), wall("2026-03-08T03:30", NEW_YORK, "-04:00"),
        wall("2026-03-09T02:30", NEW_YORK, "-04:00")), halfPastTwo.next(at("2026-03-06T12:00:00Z"), 3));
  }

  @Test
  void shiftedGapTimesNeverFireAnInstantTwice() {
    // Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:00..02:45 shift onto 03:00..03:45.
    List<Instant> times = cron("*/15 * * * *", "Europe/Berlin").next(wall("2026-03-29T01:30", BERLIN, "+01:00"), 8);
    assertEquals(List.of(wall("2026-03-29T01:45", BERLIN, "+01:00"), wall("2026-03-29T03:00", BERLIN, "+02:00"),
        wall("2026-03-29T03:15", BERLIN, "+02:00"), wall("2026-03-29T03:30", BERLIN, "+02:00"), wall("2026-03-29T03:45", BERLIN, "+02:00"),
        wall("2026-03-29T04:00", BERLIN, "+02:00"), wall("2026-03-29T04:15", BERLIN, "+02:00"), wall("2026-03-29T04:30", BERLIN, "+02:00")),
        times);
  }

  @Test
  void aWallTimeInTheFallBackOverlapFiresOnce() {
    // New York, 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice; it fires at the first.
    List<Instant> times = cron("30 1 * * *", "America/New_York").next(at("2026-10-31T12:00:00Z"), 2);
    assertEquals(List.of(wall("2026-11-01T01:30", NEW_YORK, "-04:00"), wall("2026-11-02T01:30", NEW_YORK, "-05:00")), times);
  }

  @Test
  void anHourlyScheduleAcrossTheFallBackFiresEachWallTimeOnce() {
    // Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:00 fires once (CEST), next is 03:00 CET.
    List<Instant> times = cron("0 * * * *", "Europe/Berlin").next(wall("2026-10-25T00:30", BERLIN, "+02:00"), 4);
    assertEquals(List.of(wall("2026-10-25T01:00", BERLIN, "+02:00"), wall("2026-10-25T02:00", BERLIN, "+02:00"),
        wall("2026-10-25T03:00", BERLIN, "+01:00"), wall("2026-10-25T04:00", BERLIN, "+01:00")), times);
    for (int i = 1; i < times.size(); i++) {
      assertTrue(times.get(i).isAfter(times.get(i - 1)));
    }
  }

  @Test
  void intervalsCountRealSecondsFromTheAnchorAcrossDaylightSaving() {
    ScheduleTiming everyHour = ScheduleTiming.of(null, 3600L, "America/New_York", null, null, at("2026-03-08T05:00:00Z"));
    assertEquals(List.of(at("2026-03-08T06:00:00Z"), at("2026-03-08T07:00:00Z"), at("2026-03-08T08:00:00Z")),
        everyHour.next(at("2026-03-08T05:00:00Z"), 3));
    assertEquals(at("2026-03-08T05:00:00Z"), everyHour.nextAfter(at("2026-03-08T04:00:00Z")).orElseThrow(), "the anchor is the first fire");
  }

  @Test
  void startAndEndBoundsLimitFireTimes() {
    ScheduleTiming bounded = ScheduleTiming.of("0 * * * *", null, null, at("2026-01-01T03:00:00Z"), at("2026-01-01T05:00:00Z"), CREATED);
    assertEquals(List.of(at("2026-01-01T03:00:00Z"), at("2026-01-01T04:00:00Z"), at("2026-01-01T05:00:00Z")), bounded.next(CREATED, 10));
    ScheduleTiming interval = ScheduleTiming.of(null, 10L, null, at("2026-01-01T00:00:05Z"), at("2026-01-01T00:00:30Z"), CREATED);
    assertEquals(List.of(at("2026-01-01T00:00:05Z"), at("2026-01-01T00:00:15Z"), at("2026-01-01T00:00:25Z")), interval.next(CREATED, 10));
  }

  @Test
  void badTimingsAreRefusedNamingTheField() {
    assertEquals("cron", assertThrows(InvalidRequestException.class, () -> cron("61 * * * *", null)).field());
    assertEquals("cron", assertThrows(InvalidRequestException.class, () -> cron("* * * *", null)).field());
    assertEquals("cron", assertThrows(InvalidRequestException.class, () -> cron("every monday", null)).field());
    assertEquals("cron", assertThrows(InvalidRequestException.class, () -> ScheduleTiming.of("* * * * *", 5L, null, null, null, CREATED)).field());
    assertEquals("cron", assertThrows(InvalidRequestException.class, () -> ScheduleTiming.of(null, null, null, null, null, CREATED)).field());
    assertEquals("intervalSeconds", assertThrows(InvalidRequestException.class, () -> ScheduleTiming.of(null, 0L, null, null, null, CREATED)).field());
    assertEquals("timeZone", assertThrows(InvalidRequestException.class, () -> cron("* * * * *", "Mars/Olympus")).field());
    assertEquals("endAt", assertThrows(InvalidRequestException.class,
        () -> ScheduleTiming.of(null, 5L, null, at("2026-01-02T00:00:00Z"), at("2026-01-01T00:00:00Z"), CREATED)).field());
  }
}
