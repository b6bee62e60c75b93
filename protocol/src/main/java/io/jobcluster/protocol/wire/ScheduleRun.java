package io.jobcluster.protocol.wire;

import io.jobcluster.protocol.JobStatus;
import java.time.Instant;

/**
 * One firing of a schedule, as {@code GET /v1/schedules/{id}} shows it in {@code lastRuns}.
 *
 * @param status the job's status when the schedule was read; null while the job is being submitted,
 *     when the job store refused it, or when the job is gone (deleted)
 * @param error why the job store refused the job (the template is no longer valid); null otherwise
 */
public record ScheduleRun(Instant fireTime, String jobId, JobStatus status, String error) {}
