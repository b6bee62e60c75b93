package io.jobcluster.node.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.jobcluster.protocol.InvalidRequestException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a schedule fires: a cron expression read in an IANA time zone, or a fixed interval, within
 * optional start and end bounds. Cron expressions are parsed by cron-utils: 5 fields are its
 * {@code UNIX} definition (minute hour day-of-month month day-of-week, day-of-week 0-7 with 0 and 7
 * Sunday); 6 fields are the same with a seconds field first.
 *
 * <p>Cron fields match wall-clock times in the zone; each wall-clock time fires at most once:
 * <ul>
 *   <li>a time that does not exist (the gap of a spring-forward change) fires at the instant it is
 *       shifted to by the length of the gap (02:30 on a day the clock jumps 02:00 → 03:00 fires at 03:30),
 *       unless that instant was already a fire time;</li>
 *   <li>a time that occurs twice (the overlap of a fall-back change) fires at its first occurrence only.</li>
 * </ul>
 * Intervals count real seconds from {@code anchor} (the start bound, or the schedule's creation),
 * untouched by time zones.
 */
public final class ScheduleTiming {
  /** How many candidate wall times a search looks at before it gives up (a cron matching nothing real, like Feb 30). */
  private static final int MAX_CANDIDATES = 1_000;
  private static final CronParser FIVE_FIELDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser SIX_FIELDS = new CronParser(unixWithSeconds());

  private final ExecutionTime cron;
  private final Duration interval;
  private final Instant anchor;
  private final ZoneId zone;
  private final Instant startAt;
  private final Instant endAt;

  private ScheduleTiming(ExecutionTime cron, Duration interval, Instant anchor, ZoneId zone, Instant startAt, Instant endAt) {
    this.cron = cron;
    this.interval = interval;
    this.anchor = anchor;
    this.zone = zone;
    this.startAt = startAt;
    this.endAt = endAt;
  }

  /**
   * Validates and builds a timing; throws {@link InvalidRequestException} naming the bad field.
   *
   * @param anchor where an interval counts from when there is no {@code startAt}
   */
  public static ScheduleTiming of(String cron, Long intervalSeconds, String timeZone, Instant startAt, Instant endAt, Instant anchor) {
    if ((cron == null) == (intervalSeconds == null)) {
      throw new InvalidRequestException("cron", "give either cron or intervalSeconds, not " + (cron == null ? "neither" : "both"));
    }
    if (startAt != null && endAt != null && !endAt.isAfter(startAt)) {
      throw new InvalidRequestException("endAt", "must be after startAt");
    }
    ZoneId zone = zone(timeZone);
    if (intervalSeconds != null) {
      if (intervalSeconds < 1) {
        throw new InvalidRequestException("intervalSeconds", "must be at least 1");
      }
      // Counted from whole seconds of the creation, so fire times are whole seconds unless startAt says otherwise.
      return new ScheduleTiming(null, Duration.ofSeconds(intervalSeconds), startAt != null ? startAt : anchor.truncatedTo(ChronoUnit.SECONDS), zone,
          startAt, endAt);
    }
    return new ScheduleTiming(ExecutionTime.forCron(parse(cron)), null, null, zone, startAt, endAt);
  }

  /** The zone named {@code timeZone} (an IANA id such as {@code Europe/Berlin}); null is UTC. */
  public static ZoneId zone(String timeZone) {
    if (timeZone == null) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new InvalidRequestException("timeZone", "unknown time zone '" + timeZone + "'; use an IANA id such as Europe/Berlin or UTC");
    }
  }

  private static com.cronutils.model.Cron parse(String expression) {
    String trimmed = expression.trim();
    int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    if (fields != 5 && fields != 6) {
      throw new InvalidRequestException("cron", "must have 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), has " + fields);
    }
    try {
      return (fields == 5 ? FIVE_FIELDS : SIX_FIELDS).parse(trimmed).validate();
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("cron", "'" + expression + "' is not a valid cron expression: " + e.getMessage());
    }
  }

  /** cron-utils' UNIX definition with a seconds field first. */
  private static CronDefinition unixWithSeconds() {
    return CronDefinitionBuilder.defineCron()
        .withSeconds().withValidRange(0, 59).withStrictRange().and()
        .withMinutes().withValidRange(0, 59).withStrictRange().and()
        .withHours().withValidRange(0, 23).withStrictRange().and()
        .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
        .withMonth().withValidRange(1, 12).withStrictRange().and()
        .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
        .instance();
  }

  /** The first fire time strictly after {@code after}; empty when there is none (past the end bound). */
  public Optional<Instant> nextAfter(Instant after) {
    Instant from = startAt != null && after.isBefore(startAt) ? startAt.minusNanos(1) : after;
    Optional<Instant> next = cron != null ? nextCron(from) : Optional.of(nextInterval(from));
    return next.filter(at -> endAt == null || !at.isAfter(endAt));
  }

  /** Up to {@code count} fire times strictly after {@code after}, in order. */
  public List<Instant> next(Instant after, int count) {
    List<Instant> times = new ArrayList<>(count);
    Optional<Instant> next = nextAfter(after);
    while (next.isPresent() && times.size() < count) {
      times.add(next.get());
      next = nextAfter(next.get());
    }
    return times;
  }

  private Instant nextInterval(Instant from) {
    if (from.isBefore(anchor)) {
      return anchor;
    }
    long periods = Duration.between(anchor, from).toNanos() / interval.toNanos() + 1;
    return anchor.plus(interval.multipliedBy(periods));
  }

  /**
   * Walks the wall-clock times the expression matches (cron-utils reads them in UTC, a zone without
   * changes) and maps each to an instant in the zone: a time in a gap is shifted later by the gap, a
   * time in an overlap takes its earlier offset. Candidates not after {@code from} are passed over,
   * which is what fires a repeated wall time once and a shifted one only if it is new.
   */
  private Optional<Instant> nextCron(Instant from) {
    // Whole seconds: cron-utils keeps the fraction of the time it is given in the time it answers.
    LocalDateTime wall = LocalDateTime.ofInstant(from, zone).truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < MAX_CANDIDATES; i++) {
      Optional<ZonedDateTime> match = cron.nextExecution(wall.atZone(ZoneOffset.UTC));
      if (match.isEmpty()) {
        return Optional.empty();
      }
      wall = match.get().toLocalDateTime();
      Instant candidate = ZonedDateTime.ofLocal(wall, zone, null).toInstant();
      if (candidate.isAfter(from)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
