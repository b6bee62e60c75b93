package io.jobcluster.node.job;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * What the job entity needs from outside: the clock deadlines are computed with, the random source
 * of backoff jitter, when jobs leave memory, after how many lost workers a job is quarantined, the
 * journal that new jobs start on, who hears that a job became PENDING, and who observes persisted
 * events (metrics).
 *
 * @param finishedIdleTimeout how long a finished job (or an unknown id) stays in memory without a command
 * @param wakeHorizon a SCHEDULED or RETRYING job whose deadline is further away leaves memory; the
 *     deadline sweep wakes it in time
 * @param freshJournalPluginId the journal plugin of a job submitted under a freshly drawn id ("" for
 *     the default journal)
 */
public record JobEntitySettings(Clock clock, DoubleSupplier jitter, Duration finishedIdleTimeout, Duration wakeHorizon, int maxWorkerLosses,
    String freshJournalPluginId, JobReadyListener readyListener, JobEventObserver observer) {

  /** The plugin {@code persistence.conf} defines for new jobs. */
  public static final String FRESH_JOURNAL = "jobcluster.fresh-journal";

  public static JobEntitySettings fromConfig(Config jobConfig, JobReadyListener readyListener, JobEventObserver observer) {
    return new JobEntitySettings(
        Clock.systemUTC(),
        () -> ThreadLocalRandom.current().nextDouble(),
        jobConfig.getDuration("finished-idle-timeout"),
        jobConfig.getDuration("wake-horizon"),
        jobConfig.getInt("max-worker-losses"),
        FRESH_JOURNAL,
        readyListener,
        observer);
  }
}
