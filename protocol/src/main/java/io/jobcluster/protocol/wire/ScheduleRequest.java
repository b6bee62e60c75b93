package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.jobcluster.protocol.JobRequest;
import java.time.Instant;

/**
 * The body of {@code POST /v1/schedules} (create) and of {@code PATCH /v1/schedules/{id}} (change:
 * the fields given replace the schedule's; a {@code cron} replaces an interval and the other way
 * round; {@code id} and {@code paused} are not changed by a patch).
 *
 * @param id the schedule's id within the tenant, {@code [A-Za-z0-9._-]{1,64}}; drawn at random when left out
 * @param cron 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first); exclusive with {@code intervalSeconds}
 * @param intervalSeconds a fixed period from {@code startAt} (or creation); exclusive with {@code cron}
 * @param timeZone the IANA zone the cron fields are read in; default {@code UTC}
 * @param job the job each firing submits; its {@code idempotencyKey} and {@code runAt} are the schedule's to set
 * @param misfire {@code fire_once} (default), {@code fire_all} or {@code skip}: what happens to fire times missed while no node ran the schedule
 * @param overlap {@code allow} (default), {@code skip} or {@code queue_one}: what a fire does while the previous run is not finished
 * @param startAt no fire before; {@code endAt} no fire after
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleRequest(
    String id,
    String cron,
    Long intervalSeconds,
    String timeZone,
    JobRequest job,
    String misfire,
    String overlap,
    Boolean paused,
    Instant startAt,
    Instant endAt) {

  /** A schedule of {@code job} on a cron expression, every other field left to its default. */
  public static ScheduleRequest cron(String expression, JobRequest job) {
    return new ScheduleRequest(null, expression, null, null, job, null, null, null, null, null);
  }

  /** A schedule of {@code job} every {@code seconds}, every other field left to its default. */
  public static ScheduleRequest every(long seconds, JobRequest job) {
    return new ScheduleRequest(null, null, seconds, null, job, null, null, null, null, null);
  }

  public ScheduleRequest withId(String value) {
    return new ScheduleRequest(value, cron, intervalSeconds, timeZone, job, misfire, overlap, paused, startAt, endAt);
  }

  public ScheduleRequest withTimeZone(String value) {
    return new ScheduleRequest(id, cron, intervalSeconds, value, job, misfire, overlap, paused, startAt, endAt);
  }

  public ScheduleRequest withMisfire(String value) {
    return new ScheduleRequest(id, cron, intervalSeconds, timeZone, job, value, overlap, paused, startAt, endAt);
  }

  public ScheduleRequest withOverlap(String value) {
    return new ScheduleRequest(id, cron, intervalSeconds, timeZone, job, misfire, value, paused, startAt, endAt);
  }

  public ScheduleRequest withPaused(Boolean value) {
    return new ScheduleRequest(id, cron, intervalSeconds, timeZone, job, misfire, overlap, value, startAt, endAt);
  }

  public ScheduleRequest withBounds(Instant start, Instant end) {
    return new ScheduleRequest(id, cron, intervalSeconds, timeZone, job, misfire, overlap, paused, start, end);
  }
}
