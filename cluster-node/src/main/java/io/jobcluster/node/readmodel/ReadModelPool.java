package io.jobcluster.node.readmodel;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jobcluster.persistence.DatabaseSettings;

/**
 * The read model's own small HikariCP pool, apart from the journal's: a slow list query or a
 * projection catching up must never take connections from event writes.
 */
final class ReadModelPool {
  static final String POOL_NAME = "jobcluster-read-model";

  private ReadModelPool() {}

  static HikariDataSource create(DatabaseSettings db, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(POOL_NAME);
    config.setJdbcUrl(db.url());
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setDriverClassName(db.dialect().driverClass());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    // A projection batch commits its rows and its offset in one transaction.
    config.setAutoCommit(false);
    // Fail within seconds when the database is gone (HikariCP waits 3 minutes by default); the
    // projection then restarts with backoff and queries fail instead of hanging.
    config.setConnectionTimeout(3000);
    config.setValidationTimeout(1000);
    // Start even when the database is down at that moment.
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }
}
