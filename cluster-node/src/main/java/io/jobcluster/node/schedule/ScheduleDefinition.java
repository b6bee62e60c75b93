package io.jobcluster.node.schedule;

import io.jobcluster.protocol.CborSerializable;
import java.time.Instant;

/**
 * What a schedule is, as stored in its events: when it fires and the job each firing submits.
 *
 * @param job the job template as JSON text (a {@link io.jobcluster.protocol.JobRequest}), kept as
 *     written so a resubmission sends the same request
 */
public record ScheduleDefinition(String cron, Long intervalSeconds, String timeZone, String job, MisfirePolicy misfire, OverlapPolicy overlap,
    Instant startAt, Instant endAt) implements CborSerializable {

  /** The fire times of this definition; an interval counts from {@code startAt}, or else from {@code createdAt}. */
  public ScheduleTiming timing(Instant createdAt) {
    return ScheduleTiming.of(cron, intervalSeconds, timeZone, startAt, endAt, createdAt);
  }
}
