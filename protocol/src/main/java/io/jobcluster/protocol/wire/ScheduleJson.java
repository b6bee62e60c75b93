package io.jobcluster.protocol.wire;

import io.jobcluster.protocol.JobRequest;
import java.time.Instant;
import java.util.List;

/**
 * A schedule as the API shows it: its definition, whether it is paused, its next five fire times
 * (empty while paused or after {@code endAt}) and its last runs, newest first.
 */
public record ScheduleJson(
    String id,
    String cron,
    Long intervalSeconds,
    String timeZone,
    JobRequest job,
    String misfire,
    String overlap,
    boolean paused,
    Instant startAt,
    Instant endAt,
    Instant createdAt,
    Instant updatedAt,
    List<Instant> nextFireTimes,
    List<ScheduleRun> lastRuns) {

  public ScheduleJson {
    nextFireTimes = nextFireTimes == null ? List.of() : List.copyOf(nextFireTimes);
    lastRuns = lastRuns == null ? List.of() : List.copyOf(lastRuns);
  }
}
