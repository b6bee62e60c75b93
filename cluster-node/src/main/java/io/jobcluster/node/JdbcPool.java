package io.jobcluster.node;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.jobcluster.persistence.DatabaseSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The small HikariCP pools a node keeps apart from the journal's (read model, API keys), all set
 * up the same way: they fail within seconds when the database is gone and start while it is down,
 * and report their connections ({@code hikaricp_*}, tagged {@code pool}) on the node's registry.
 */
public final class JdbcPool {
  private JdbcPool() {}

  /** Closes {@code pool} with {@code system}: just before it terminates, after sharding stopped the pool's users. */
  public static HikariDataSource closeWith(ActorSystem<?> system, HikariDataSource pool) {
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-pool-" + pool.getPoolName(), () -> {
      pool.close();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    return pool;
  }

  public static HikariDataSource create(String name, DatabaseSettings db, int size, boolean autoCommit, MeterRegistry meters) {
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
    config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
    return new HikariDataSource(config);
  }
}
