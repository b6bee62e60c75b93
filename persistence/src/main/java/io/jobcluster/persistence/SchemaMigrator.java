package io.jobcluster.persistence;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database's schema up to date before the node starts: Flyway applies the scripts of
 * {@code classpath:db/<dialect>} ({@code V<n>__<description>.sql}) that {@value #HISTORY_TABLE}
 * does not record yet, and refuses to start when an applied script was changed since.
 *
 * <p>On PostgreSQL all pending scripts run in one transaction under Flyway's advisory lock, so
 * nodes starting together apply each script once and a failing script leaves nothing behind. H2
 * is single-node (its file lock keeps other processes out), so a JVM lock serialises migrators;
 * H2 commits every DDL statement at once, so its scripts must be written to be re-runnable.
 */
public final class SchemaMigrator {

  public static final String HISTORY_TABLE = "jobcluster_schema_history";

  /**
   * Replaces the URL's socket timeout on the migrator's own connections: a migration may rewrite
   * a large table, and a node may wait this long for another node's migration to finish.
   */
  static final Duration MIGRATION_NETWORK_TIMEOUT = Duration.ofMinutes(30);

  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);

  private static final ReentrantLock H2_LOCK = new ReentrantLock();

  private SchemaMigrator() {}

  /**
   * Applies the pending migrations and returns Flyway's account of them ({@code migrations} is
   * empty when the schema was up to date).
   *
   * @throws SchemaMigrationException when a migration fails, the database cannot be reached,
   *     or an applied migration differs from the shipped script
   */
  public static MigrateResult migrate(DatabaseSettings db) {
    return migrate(db, "classpath:" + db.dialect().migrationFolder());
  }

  /** As {@link #migrate(DatabaseSettings)}, with the scripts of a Flyway {@code location}. */
  static MigrateResult migrate(DatabaseSettings db, String location) {
    DataSource dataSource = dataSource(db);
    boolean h2 = db.dialect() == Dialect.H2;
    if (h2) {
      H2_LOCK.lock();
    }
    try {
      if (h2) {
        forgetFailedScripts(dataSource);
      }
      MigrateResult result = flyway(dataSource, location).migrate();
      // Flyway names no target version when there was nothing to apply.
      String version = result.targetSchemaVersion != null
          ? result.targetSchemaVersion : result.initialSchemaVersion;
      log.info("Schema at version={} applied={} database={}",
          version, result.migrationsExecuted, db.redactedUrl());
      return result;
    } catch (FlywayValidateException e) {
      throw failure(db, e.getMessage()
          + " Never edit an applied migration; add a new V<n> migration instead.", e);
    } catch (FlywayException | SQLException e) {
      throw failure(db, e.getMessage(), e);
    } finally {
      if (h2) {
        H2_LOCK.unlock();
      }
    }
  }

  private static Flyway flyway(DataSource dataSource, String location) {
    return Flyway.configure(SchemaMigrator.class.getClassLoader())
        .dataSource(dataSource)
        .locations(location)
        .table(HISTORY_TABLE)
        .failOnMissingLocations(true)
        .validateMigrationNaming(true)
        .validateOnMigrate(true)
        .cleanDisabled(true)
        // One transaction for all pending scripts (on PostgreSQL): a failure leaves nothing.
        .group(true)
        // As the runner Flyway replaced: a script missing from the history is applied even when
        // a newer one was applied first (two branches each adding one).
        .outOfOrder(true)
        // Nodes starting together wait for the one migrating as long as a migration may take.
        .lockRetryCount((int) MIGRATION_NETWORK_TIMEOUT.toSeconds())
        .load();
  }

  /**
   * H2 cannot roll a failed script's DDL back, so Flyway records the script as failed and would
   * refuse every later start until someone runs {@code flyway repair}. H2 scripts are
   * re-runnable, so the next start forgets the failure and runs the script again from the top,
   * as the replaced runner did.
   */
  private static void forgetFailedScripts(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      if (!tableExists(connection, HISTORY_TABLE)) {
        return;
      }
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM " + HISTORY_TABLE + " WHERE success = ?")) {
        delete.setBoolean(1, false);
        int forgotten = delete.executeUpdate();
        if (forgotten > 0) {
          log.warn("Running failed schema migrations again scripts={}", forgotten);
        }
      }
    }
  }

  private static boolean tableExists(Connection connection, String table) throws SQLException {
    DatabaseMetaData metaData = connection.getMetaData();
    try (ResultSet tables =
        metaData.getTables(connection.getCatalog(), connection.getSchema(), table, null)) {
      return tables.next();
    }
  }

  private static DataSource dataSource(DatabaseSettings db) {
    return switch (db.dialect()) {
      case POSTGRES -> postgres(db);
      case H2 -> h2(db);
    };
  }

  private static DataSource postgres(DatabaseSettings db) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    if (!db.user().isEmpty()) {
      dataSource.setUser(db.user());
    }
    if (!db.password().isEmpty()) {
      dataSource.setPassword(db.password());
    }
    // After the credentials: what the URL itself sets wins, as with DriverManager.
    dataSource.setUrl(db.url());
    dataSource.setSocketTimeout((int) MIGRATION_NETWORK_TIMEOUT.toSeconds());
    return dataSource;
  }

  private static DataSource h2(DatabaseSettings db) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(db.url());
    dataSource.setUser(db.user());
    dataSource.setPassword(db.password());
    return dataSource;
  }

  private static SchemaMigrationException failure(DatabaseSettings db, String detail, Exception e) {
    return new SchemaMigrationException("Schema migration of " + db.redactedUrl() + " failed: "
        + DatabaseSettings.redact(String.valueOf(detail)), e);
  }
}
