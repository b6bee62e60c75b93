package io.jobcluster.node.auth;

import com.zaxxer.hikari.HikariDataSource;
import io.jobcluster.node.JdbcPool;
import io.jobcluster.persistence.DatabaseSettings;
import io.micrometer.core.instrument.MeterRegistry;
import com.typesafe.config.Config;
import io.micrometer.core.instrument.FunctionCounter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API-key authentication of a node: the {@link ApiKeyStore} on its own tiny pool, the
 * {@link Authenticator} in front of it, and the {@link KeyRevocations} that tell every node's
 * authenticator when a key is revoked. Revoke through this class (not the store) so that every
 * node hears of it. The schema comes from migration V4 ({@code api_keys}).
 *
 * <pre>{@code
 * ApiKeys keys = ApiKeys.start(system, database, System.getenv(ApiKeys.ENV_ADMIN_KEY), meters);
 * keys.authenticator().authenticate(authorizationHeader, xApiKeyHeader);
 * }</pre>
 */
public final class ApiKeys {
  public static final String ENV_ADMIN_KEY = "JOBCLUSTER_ADMIN_KEY";
  static final String POOL_NAME = "jobcluster-api-keys";
  /** Counts the store's lookups by hash; Prometheus shows it as {@code jobcluster_api_key_lookups_total}. */
  public static final String LOOKUPS_METER = "jobcluster.api.key.lookups";
  /** Lookups are single-row and cached; two connections carry a node's misses and key admin. */
  static final int POOL_SIZE = 2;

  private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

  private final ApiKeyStore store;
  private final Authenticator authenticator;
  private final KeyRevocations revocations;

  /**
   * The authenticator's caches ({@code jobcluster.auth}): valid keys for {@code cacheTtl} (the
   * backstop should a revocation notice be lost), refused keys for {@code unknownKeyTtl}, each at
   * most {@code cacheSize} keys.
   */
  public record Settings(Duration cacheTtl, Duration unknownKeyTtl, int cacheSize) {
    public static final Settings DEFAULTS = new Settings(Authenticator.DEFAULT_TTL, Authenticator.DEFAULT_UNKNOWN_KEY_TTL,
        Authenticator.DEFAULT_MAX_ENTRIES);

    public static Settings fromConfig(Config auth) {
      return new Settings(auth.getDuration("cache-ttl"), auth.getDuration("unknown-key-ttl"), auth.getInt("cache-size"));
    }
  }

  private ApiKeys(ApiKeyStore store, Authenticator authenticator, KeyRevocations revocations) {
    this.store = store;
    this.authenticator = authenticator;
    this.revocations = revocations;
  }

  /** Starts the key store with the default {@link Settings}. */
  public static ApiKeys start(ActorSystem<?> system, DatabaseSettings db, String adminKey, MeterRegistry meters) {
    return start(system, db, adminKey, meters, Settings.DEFAULTS);
  }

  /**
   * Starts the key store on {@code system}: its pool (closed when the system terminates) and an
   * authenticator with the default cache. Run {@code SchemaMigrator.migrate} first.
   *
   * @param adminKey the value of {@link #ENV_ADMIN_KEY}; null for no admin key
   * @param meters the node's registry, where the pool reports its connections and the store counts its lookups
   */
  public static ApiKeys start(ActorSystem<?> system, DatabaseSettings db, String adminKey, MeterRegistry meters, Settings settings) {
    HikariDataSource pool = JdbcPool.closeWith(system, pool(db, meters));
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    ApiKeyStore store = new ApiKeyStore(pool, blocking, Clock.systemUTC());
    FunctionCounter.builder(LOOKUPS_METER, store, ApiKeyStore::lookups)
        .description("API keys looked up in the database (what the authenticator's caches did not answer)").register(meters);
    Authenticator authenticator = new Authenticator(store, adminKey, Clock.systemUTC(), settings.cacheTtl(), settings.unknownKeyTtl(),
        settings.cacheSize());
    KeyRevocations revocations = KeyRevocations.start(system, authenticator);
    log.info("API keys started adminKey={} cacheTtl={} unknownKeyTtl={} database={}", adminKey == null ? "absent" : "present",
        settings.cacheTtl(), settings.unknownKeyTtl(), db.redactedUrl());
    return new ApiKeys(store, authenticator, revocations);
  }

  /**
   * Revokes a key of {@code tenant} (null: any tenant; see {@link ApiKeyStore#revoke(String, String)}) and
   * tells every node, which refuses it from then on. Answers whether such a key exists.
   */
  public CompletionStage<Boolean> revoke(String keyId, String tenant) {
    return store.revoke(keyId, tenant).thenApply(existed -> {
      if (existed) {
        revocations.publish(keyId);
      }
      return existed;
    });
  }

  public KeyRevocations revocations() {
    return revocations;
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
