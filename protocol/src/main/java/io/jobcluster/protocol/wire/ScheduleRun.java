package io.jobcluster.protocol.wire;

import io.jobcluster.protocol.JobStatus;
import java.time.Instant;

/**
 * One firing of a schedule, as {@code GET /v1/schedules/{id}} shows it in {@code lastRuns}.
 *
 * @param status the job's status when the schedule was read; null when the job is not known (yet, or any more)
 */
public record ScheduleRun(Instant fireTime, String jobId, JobStatus status) {}
