package io.jobcluster.node.schedule;

/** Hears what schedules do, for metrics. */
public interface ScheduleObserver {
  ScheduleObserver NONE = new ScheduleObserver() {};

  /** {@code count} fire times were submitted as jobs. */
  default void fired(int count) {}

  /** {@code count} fire times missed while no node ran the schedule were passed over (misfire policy). */
  default void misfiresSkipped(long count) {}

  /** {@code count} fire times were passed over because the previous run had not finished (overlap policy). */
  default void overlapsSkipped(long count) {}
}
