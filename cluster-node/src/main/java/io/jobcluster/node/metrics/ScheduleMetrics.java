package io.jobcluster.node.metrics;

import io.jobcluster.node.schedule.ScheduleObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What recurring schedules do, counted where their entities run (sum over nodes). */
public final class ScheduleMetrics implements ScheduleObserver {
  private final Counter fired;
  private final Counter misfiresSkipped;
  private final Counter overlapsSkipped;

  public ScheduleMetrics(MeterRegistry registry) {
    fired = Counter.builder("jobcluster.schedule.fires").description("Fire times of recurring schedules submitted as jobs").register(registry);
    misfiresSkipped = Counter.builder("jobcluster.schedule.misfires.skipped")
        .description("Fire times missed while no node ran their schedule and passed over by its misfire policy").register(registry);
    overlapsSkipped = Counter.builder("jobcluster.schedule.overlaps.skipped")
        .description("Fire times passed over because the schedule's previous run had not finished (overlap policy)").register(registry);
  }

  @Override
  public void fired(int count) {
    fired.increment(count);
  }

  @Override
  public void misfiresSkipped(long count) {
    misfiresSkipped.increment(count);
  }

  @Override
  public void overlapsSkipped(long count) {
    overlapsSkipped.increment(count);
  }
}
