package io.jobcluster.node.retention;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The retention sweep's settings, from the {@code jobcluster.retention} section.
 *
 * @param interval how often a run starts (one run at a time; a run still busy skips the tick)
 * @param batchSize jobs selected and removed per batch
 * @param batchPause the pause between two batches of one run, so a large backlog is removed at a
 *     pace that leaves the database to the hot path
 * @param parallelism deletions asked of job entities at once within a batch
 */
public record RetentionSettings(RetentionPolicy policy, Duration interval, int batchSize, Duration batchPause, int parallelism) {

  public RetentionSettings {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("jobcluster.retention.interval must be positive, not " + interval);
    }
    if (batchSize < 1 || batchSize > 1000) {
      throw new IllegalArgumentException("jobcluster.retention.batch-size must be 1..1000, not " + batchSize);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("jobcluster.retention.parallelism must be at least 1, not " + parallelism);
    }
  }

  /** @throws IllegalArgumentException (or a ConfigException) naming the setting when one is malformed */
  public static RetentionSettings fromConfig(Config retention) {
    return new RetentionSettings(RetentionPolicy.fromConfig(retention), retention.getDuration("interval"), retention.getInt("batch-size"),
        retention.getDuration("batch-pause"), retention.getInt("parallelism"));
  }
}
