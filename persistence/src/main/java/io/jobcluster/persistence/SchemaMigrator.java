package io.jobcluster.persistence;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * <p>On PostgreSQL nodes starting together migrate one after the other under an advisory lock, so
 * each script is applied once, and all pending scripts run in one transaction, so a failing one
 * leaves nothing behind. H2 is single-node (its file lock keeps other processes out), so a JVM
 * lock serialises migrators; H2 commits every DDL statement at once, so its scripts must be
 * written to be re-runnable.
 */
public final class SchemaMigrator {

  public static final String HISTORY_TABLE = "jobcluster_schema_history";

  /**
   * The version table of the hand-written runner Flyway replaced. A database that has it but no
   * {@value #HISTORY_TABLE} is taken over: baselined at the newest version it records, so Flyway
   * applies only newer scripts. The table is kept, never written again: dropping it would gain
   * nothing and would keep the previous release from starting on the database after a rollback.
   */
  static final String LEGACY_VERSION_TABLE = "jobcluster_schema_version";

  /**
   * Replaces the URL's socket timeout on the migrator's own connections: a migration may rewrite
   * a large table, and a node may wait this long for another node's migration to finish.
   */
  static final Duration MIGRATION_NETWORK_TIMEOUT = Duration.ofMinutes(30);

  /** "jobclust" in ASCII: one lock key every node agrees on without coordination. */
  static final long ADVISORY_LOCK_KEY = 0x6A6F62636C757374L;

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
    // On PostgreSQL the lock is this connection's, released when it closes.
    try (Connection connection = dataSource.getConnection()) {
      if (!h2) {
        lockAgainstOtherNodes(connection);
      }
      int baseline = prepare(connection, db.dialect());
      MigrateResult result = flyway(dataSource, location, baseline).migrate();
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

  /**
   * Flyway locks only while it changes the schema, not while it and {@link #prepare} decide
   * whether to baseline: a node that decides while another creates the history table tries to
   * baseline that table and fails. So nodes starting together migrate one after the other.
   */
  private static void lockAgainstOtherNodes(Connection connection) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
      lock.setLong(1, ADVISORY_LOCK_KEY);
      lock.execute();
    }
  }

  private static Flyway flyway(DataSource dataSource, String location, int baseline) {
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
        // Only for a schema without history table: one the replaced runner migrated is taken
        // over at its version; any other non-empty one is adopted at 0, so every script runs on
        // it (they are written with IF NOT EXISTS), as the replaced runner did.
        .baselineOnMigrate(true)
        .baselineVersion(Integer.toString(baseline))
        .baselineDescription(baseline > 0 ? "taken over from " + LEGACY_VERSION_TABLE : "adopted")
        .load();
  }

  /**
   * What Flyway's history cannot tell: the newest version the replaced runner recorded, when
   * Flyway has not taken the database over yet (0 otherwise). On H2 it also forgets the scripts
   * that failed: H2 cannot roll their DDL back, so Flyway records them as failed and would refuse
   * every later start until someone runs {@code flyway repair}; H2 scripts are re-runnable, so
   * the next start runs a failed one again from the top, as the replaced runner did.
   */
  private static int prepare(Connection connection, Dialect dialect) throws SQLException {
    if (tableExists(connection, HISTORY_TABLE)) {
      if (dialect == Dialect.H2) {
        forgetFailedScripts(connection);
      }
      return 0;
    }
    return tableExists(connection, LEGACY_VERSION_TABLE) ? legacyVersion(connection) : 0;
  }

  private static void forgetFailedScripts(Connection connection) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(
        "DELETE FROM " + HISTORY_TABLE + " WHERE success = ?")) {
      delete.setBoolean(1, false);
      int forgotten = delete.executeUpdate();
      if (forgotten > 0) {
        log.warn("Running failed schema migrations again scripts={}", forgotten);
      }
    }
  }

  private static int legacyVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(
            "SELECT COALESCE(MAX(version), 0) FROM " + LEGACY_VERSION_TABLE)) {
      row.next();
      int version = row.getInt(1);
      log.info("Taking the schema over from table={} version={}", LEGACY_VERSION_TABLE, version);
      return version;
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
