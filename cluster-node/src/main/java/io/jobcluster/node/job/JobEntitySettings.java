package io.jobcluster.node.job;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * What the job entity needs from outside: the clock deadlines are computed with, the random source
 * of backoff jitter, how long a finished job stays in memory, after how many lost workers a job is
 * quarantined, who hears that a job became PENDING, and who observes persisted events (metrics).
 */
public record JobEntitySettings(Clock clock, DoubleSupplier jitter, Duration finishedIdleTimeout, int maxWorkerLosses,
    JobReadyListener readyListener, JobEventObserver observer) {

  public static JobEntitySettings fromConfig(Config jobConfig, JobReadyListener readyListener, JobEventObserver observer) {
    return new JobEntitySettings(
        Clock.systemUTC(),
        () -> ThreadLocalRandom.current().nextDouble(),
        jobConfig.getDuration("finished-idle-timeout"),
        jobConfig.getInt("max-worker-losses"),
        readyListener,
        observer);
  }
}
