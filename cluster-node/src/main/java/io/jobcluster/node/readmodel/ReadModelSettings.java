package io.jobcluster.node.readmodel;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The read model's tuning, from {@code jobcluster.read-model}.
 *
 * @param batchSize events projected in one transaction, together with the offset
 * @param groupWithin how long a batch waits to fill before it is written anyway (the lag under light load)
 * @param poolSize connections of the read model's own pool, shared by projections and queries
 */
public record ReadModelSettings(int batchSize, Duration groupWithin, int poolSize) {

  public ReadModelSettings {
    if (batchSize < 1) {
      throw new IllegalArgumentException("jobcluster.read-model.batch-size must be at least 1, got " + batchSize);
    }
    if (groupWithin.isNegative() || groupWithin.isZero()) {
      throw new IllegalArgumentException("jobcluster.read-model.group-within must be positive, got " + groupWithin);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("jobcluster.read-model.pool-size must be at least 1, got " + poolSize);
    }
  }

  public static ReadModelSettings fromConfig(Config readModel) {
    return new ReadModelSettings(readModel.getInt("batch-size"), readModel.getDuration("group-within"), readModel.getInt("pool-size"));
  }
}
