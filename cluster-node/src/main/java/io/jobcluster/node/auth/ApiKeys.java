package io.jobcluster.node.auth;

import com.zaxxer.hikari.HikariDataSource;
import io.jobcluster.node.JdbcPool;
import io.jobcluster.persistence.DatabaseSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API-key authentication of a node: the {@link ApiKeyStore} on its own tiny pool and the
 * {@link Authenticator} in front of it. The schema comes from migration V4 ({@code api_keys}).
 *
 * <pre>{@code
 * ApiKeys keys = ApiKeys.start(system, database, System.getenv(ApiKeys.ENV_ADMIN_KEY), meters);
 * keys.authenticator().authenticate(authorizationHeader, xApiKeyHeader);
 * }</pre>
 */
public final class ApiKeys {
  public static final String ENV_ADMIN_KEY = "JOBCLUSTER_ADMIN_KEY";
  static final String POOL_NAME = "jobcluster-api-keys";
  /** Lookups are single-row and cached; two connections carry a node's misses and key admin. */
  static final int POOL_SIZE = 2;

  private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

  private final ApiKeyStore store;
  private final Authenticator authenticator;

  private ApiKeys(ApiKeyStore store, Authenticator authenticator) {
    this.store = store;
    this.authenticator = authenticator;
  }

  /**
   * Starts the key store on {@code system}: its pool (closed when the system terminates) and an
   * authenticator with the default cache. Run {@code SchemaMigrator.migrate} first.
   *
   * @param adminKey the value of {@link #ENV_ADMIN_KEY}; null for no admin key
   * @param meters the node's registry, where the pool reports its connections
   */
  public static ApiKeys start(ActorSystem<?> system, DatabaseSettings db, String adminKey, MeterRegistry meters) {
    HikariDataSource pool = JdbcPool.closeWith(system, pool(db, meters));
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    ApiKeyStore store = new ApiKeyStore(pool, blocking, Clock.systemUTC());
    Authenticator authenticator = new Authenticator(store, adminKey);
    log.info("API keys started adminKey={} cacheTtl={} database={}", adminKey == null ? "absent" : "present",
        Authenticator.DEFAULT_TTL, db.redactedUrl());
    return new ApiKeys(store, authenticator);
  }

  public ApiKeyStore store() {
    return store;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  static HikariDataSource pool(DatabaseSettings db, MeterRegistry meters) {
    return JdbcPool.create(POOL_NAME, db, POOL_SIZE, true, meters);
  }
}
