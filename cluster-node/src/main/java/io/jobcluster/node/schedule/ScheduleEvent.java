package io.jobcluster.node.schedule;

import io.jobcluster.protocol.CborSerializable;
import java.time.Instant;

/**
 * Everything a schedule entity persists. Each event carries the facts it implies (the next fire
 * time after it, the job id of a firing), so the state is folded in one place, {@link ScheduleState#apply}.
 */
public sealed interface ScheduleEvent extends CborSerializable {
  Instant at();

  record Created(ScheduleDefinition definition, boolean paused, Instant nextFireAt, Instant at) implements ScheduleEvent {}

  /** The definition was changed (PATCH); the next fire time is recomputed from the change's time. */
  record Changed(ScheduleDefinition definition, Instant nextFireAt, Instant at) implements ScheduleEvent {}

  record Paused(Instant at) implements ScheduleEvent {}

  /** Fire times that passed while paused are not fired: the next is the first after resuming. */
  record Resumed(Instant nextFireAt, Instant at) implements ScheduleEvent {}

  record Deleted(Instant at) implements ScheduleEvent {}

  /**
   * A fire time is due: its job {@code jobId} (derived from the schedule and the fire time) is to be
   * submitted. Persisted before the submission, which repeats until {@link Submitted} is persisted.
   *
   * @param skipped fire times passed over at the same time (misfires, overlaps)
   */
  record Fired(Instant fireTime, String jobId, Instant nextFireAt, long skipped, Instant at) implements ScheduleEvent {}

  /**
   * The job of {@code fireTime} was accepted by the job store (or refused for good, then
   * {@code error} says why).
   */
  record Submitted(Instant fireTime, String jobId, String error, Instant at) implements ScheduleEvent {}

  /** Fire times passed over (misfire policy {@code skip}, or overlap policy {@code skip}). */
  record Skipped(long count, Instant nextFireAt, Instant at) implements ScheduleEvent {}

  /** Overlap policy {@code queue_one}: {@code fireTime} waits for the previous run to finish. */
  record Queued(Instant fireTime, Instant nextFireAt, long skipped, Instant at) implements ScheduleEvent {}
}
