package io.jobcluster.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database's schema up to date before the node starts: applies, in version order and
 * exactly once each, the migrations of {@link MigrationCatalog} that
 * {@value #VERSION_TABLE} does not record yet, and refuses to start when an applied migration
 * was changed since.
 *
 * <p>On PostgreSQL the whole run is one transaction under an advisory lock, so nodes starting
 * together apply each migration once and a failing migration leaves nothing behind. H2 is
 * single-node (its file lock keeps other processes out), so a JVM lock serialises migrators; H2
 * commits every DDL statement at once, so its migrations must be written to be re-runnable.
 */
public final class SchemaMigrator {

  public static final String VERSION_TABLE = "jobcluster_schema_version";

  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);

  /** "jobclust" in ASCII: one lock key every node agrees on without coordination. */
  static final long ADVISORY_LOCK_KEY = 0x6A6F62636C757374L;

  /**
   * Replaces the URL's socket timeout on the migrator's own connection: a migration may
   * rewrite a large table, and a node may wait for another node's migration to finish.
   */
  static final Duration MIGRATION_NETWORK_TIMEOUT = Duration.ofMinutes(30);

  private static final ReentrantLock H2_LOCK = new ReentrantLock();

  private static final String CREATE_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS " + VERSION_TABLE
      + " (version INTEGER NOT NULL PRIMARY KEY,"
      + " description VARCHAR(200) NOT NULL,"
      + " checksum VARCHAR(64) NOT NULL,"
      + " applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)";

  private SchemaMigrator() {}

  /**
   * Applies the pending migrations and returns them (empty when the schema was up to date).
   *
   * @throws SchemaMigrationException when a migration fails, the database cannot be reached,
   *     or an applied migration's checksum differs from the shipped script's
   */
  public static List<Migration> migrate(DatabaseSettings db) {
    return migrate(db, SchemaMigrator.class.getClassLoader());
  }

  static List<Migration> migrate(DatabaseSettings db, ClassLoader loader) {
    List<MigrationCatalog.Script> scripts = MigrationCatalog.load(db.dialect(), loader);
    boolean h2 = db.dialect() == Dialect.H2;
    if (h2) {
      H2_LOCK.lock();
    }
    try (Connection connection = connect(db)) {
      return inTransaction(connection, db, scripts);
    } catch (SQLException e) {
      throw new SchemaMigrationException(
          "Schema migration of " + db.redactedUrl() + " failed: " + e.getMessage(), e);
    } finally {
      if (h2) {
        H2_LOCK.unlock();
      }
    }
  }

  private static List<Migration> inTransaction(
      Connection connection, DatabaseSettings db, List<MigrationCatalog.Script> scripts)
      throws SQLException {
    connection.setAutoCommit(false);
    try {
      List<Migration> applied = applyPending(connection, db, scripts);
      connection.commit();
      logOutcome(db, scripts, applied);
      return applied;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(connection, e);
      throw e;
    }
  }

  private static List<Migration> applyPending(
      Connection connection, DatabaseSettings db, List<MigrationCatalog.Script> scripts)
      throws SQLException {
    if (db.dialect() == Dialect.POSTGRES) {
      try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, ADVISORY_LOCK_KEY);
        lock.execute();
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(CREATE_VERSION_TABLE);
    }
    Map<Integer, String> recorded = recordedChecksums(connection);
    verify(db, scripts, recorded);
    List<Migration> applied = new ArrayList<>();
    for (MigrationCatalog.Script script : scripts) {
      if (!recorded.containsKey(script.migration().version())) {
        apply(connection, db, script);
        applied.add(script.migration());
      }
    }
    return applied;
  }

  private static Map<Integer, String> recordedChecksums(Connection connection)
      throws SQLException {
    Map<Integer, String> recorded = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT version, checksum FROM " + VERSION_TABLE + " ORDER BY version")) {
      while (rows.next()) {
        recorded.put(rows.getInt(1), rows.getString(2));
      }
    }
    return recorded;
  }

  private static void verify(
      DatabaseSettings db, List<MigrationCatalog.Script> scripts, Map<Integer, String> recorded) {
    Map<Integer, Migration> known = new HashMap<>();
    for (MigrationCatalog.Script script : scripts) {
      Migration migration = script.migration();
      known.put(migration.version(), migration);
      String checksum = recorded.get(migration.version());
      if (checksum != null && !checksum.equals(migration.checksum())) {
        throw new SchemaMigrationException("Migration V" + migration.version() + " ("
            + migration.description() + ") was changed after it was applied to "
            + db.redactedUrl() + ": " + VERSION_TABLE + " records checksum " + checksum
            + " but " + migration.resource() + " has " + migration.checksum()
            + ". Never edit an applied migration; add a new V<n> migration instead.");
      }
    }
    for (Integer version : recorded.keySet()) {
      if (!known.containsKey(version)) {
        // A newer node migrated this database; older nodes keep running during a rolling update.
        log.warn("Schema has migration version={} that this node does not know; database={}",
            version, db.redactedUrl());
      }
    }
  }

  private static void apply(Connection connection, DatabaseSettings db,
      MigrationCatalog.Script script) throws SQLException {
    Migration migration = script.migration();
    log.info("Applying schema migration version={} description={} database={}",
        migration.version(), migration.description(), db.redactedUrl());
    try (Statement statement = connection.createStatement()) {
      statement.execute(script.sql());
    } catch (SQLException e) {
      throw new SQLException("migration V" + migration.version() + " from "
          + migration.resource() + ": " + e.getMessage(), e.getSQLState(), e);
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + VERSION_TABLE
        + " (version, description, checksum) VALUES (?, ?, ?)")) {
      insert.setInt(1, migration.version());
      insert.setString(2, migration.description());
      insert.setString(3, migration.checksum());
      insert.executeUpdate();
    }
  }

  private static void logOutcome(
      DatabaseSettings db, List<MigrationCatalog.Script> scripts, List<Migration> applied) {
    int latest = scripts.get(scripts.size() - 1).migration().version();
    if (applied.isEmpty()) {
      log.info("Schema is up to date at version={} database={}", latest, db.redactedUrl());
    } else {
      log.info("Schema migrated to version={} applied={} database={}",
          latest, applied.size(), db.redactedUrl());
    }
  }

  private static Connection connect(DatabaseSettings db) throws SQLException {
    try {
      // Registers the driver even where the service loader entry was lost (e.g. a fat jar).
      Class.forName(db.dialect().driverClass());
    } catch (ClassNotFoundException e) {
      throw new SchemaMigrationException("JDBC driver " + db.dialect().driverClass()
          + " is not on the classpath", e);
    }
    Properties properties = new Properties();
    if (!db.user().isEmpty()) {
      properties.setProperty("user", db.user());
    }
    if (!db.password().isEmpty()) {
      properties.setProperty("password", db.password());
    }
    Connection connection = DriverManager.getConnection(db.url(), properties);
    if (db.dialect() == Dialect.POSTGRES) {
      try {
        connection.setNetworkTimeout(Runnable::run, (int) MIGRATION_NETWORK_TIMEOUT.toMillis());
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
    }
    return connection;
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
