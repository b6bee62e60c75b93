package io.jobcluster.node;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jobcluster.persistence.DatabaseSettings;

/**
 * The small HikariCP pools a node keeps apart from the journal's (read model, API keys), all set
 * up the same way: they fail within seconds when the database is gone and start while it is down.
 */
public final class JdbcPool {
  private JdbcPool() {}

  public static HikariDataSource create(String name, DatabaseSettings db, int size, boolean autoCommit) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(db.url());
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setDriverClassName(db.dialect().driverClass());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setAutoCommit(autoCommit);
    // HikariCP waits 3 minutes for a connection by default, which hides an outage: fail in seconds.
    config.setConnectionTimeout(3000);
    config.setValidationTimeout(1000);
    // Start even when the database is down at that moment; connect once it is back.
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }
}
