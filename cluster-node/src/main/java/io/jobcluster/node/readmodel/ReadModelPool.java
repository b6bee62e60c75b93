package io.jobcluster.node.readmodel;

import com.zaxxer.hikari.HikariDataSource;
import io.jobcluster.node.JdbcPool;
import io.jobcluster.persistence.DatabaseSettings;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The read model's own small HikariCP pool, apart from the journal's: a slow list query or a
 * projection catching up must never take connections from event writes.
 */
final class ReadModelPool {
  static final String POOL_NAME = "jobcluster-read-model";

  private ReadModelPool() {}

  static HikariDataSource create(DatabaseSettings db, int size, MeterRegistry meters) {
    // Not auto-commit: a projection batch commits its rows and its offset in one transaction.
    return JdbcPool.create(POOL_NAME, db, size, false, meters);
  }
}
