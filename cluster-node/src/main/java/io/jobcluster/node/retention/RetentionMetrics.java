package io.jobcluster.node.retention;

import io.jobcluster.protocol.JobStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the retention sweep reports on the node that runs it (one node in the cluster at a time; on
 * the others the gauges read 0): jobs removed by status, jobs kept because they changed after they
 * were selected, the last run's removals and duration, and how long ago the oldest finished job
 * still kept finished.
 */
public final class RetentionMetrics {
  private final Map<JobStatus, Counter> removed = new EnumMap<>(JobStatus.class);
  private final Counter kept;
  private final Timer runs;
  private final AtomicLong lastRunRemoved = new AtomicLong();
  private final AtomicReference<Instant> oldestFinish = new AtomicReference<>();

  public RetentionMetrics(MeterRegistry registry, Clock clock) {
    for (JobStatus status : JobStatus.values()) {
      if (!status.isActive()) {
        removed.put(status, Counter.builder("jobcluster.retention.removed").description("Finished jobs removed by the retention sweep")
            .tag("status", status.name()).register(registry));
      }
    }
    kept = Counter.builder("jobcluster.retention.kept")
        .description("Jobs selected by the retention sweep but kept: they changed (or were deleted) since the read model saw them")
        .register(registry);
    runs = Timer.builder("jobcluster.retention.run.duration").description("Duration of retention sweep runs").register(registry);
    Gauge.builder("jobcluster.retention.last.run.removed", lastRunRemoved, AtomicLong::get)
        .description("Jobs the last retention run removed").strongReference(true).register(registry);
    Gauge.builder("jobcluster.retention.oldest.finished.age.seconds", oldestFinish, finish -> age(finish.get(), clock))
        .description("How long ago the oldest finished job still kept finished (read model); 0 when there is none")
        .strongReference(true).register(registry);
  }

  private static double age(Instant finish, Clock clock) {
    return finish == null ? 0 : Math.max(0, Duration.between(finish, clock.instant()).toMillis() / 1000.0);
  }

  void removed(JobStatus status) {
    removed.get(status).increment();
  }

  void kept() {
    kept.increment();
  }

  void runEnded(Duration took, long removedInRun, Instant oldest) {
    runs.record(took);
    lastRunRemoved.set(removedInRun);
    oldestFinish.set(oldest);
  }
}
