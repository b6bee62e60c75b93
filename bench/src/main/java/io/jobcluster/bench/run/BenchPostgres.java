package io.jobcluster.bench.run;

import io.jobcluster.bench.metrics.DbStats;
import io.jobcluster.bench.metrics.ProcessCpu;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.testing.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark's own throwaway PostgreSQL (the persistence test tooling's server: fsync and
 * synchronous commit on), a fresh database per run, and the server's statistics.
 */
public final class BenchPostgres implements AutoCloseable {
  /** The settings the report prints. */
  static final List<String> SHOWN_SETTINGS = List.of("server_version", "fsync", "synchronous_commit", "wal_level",
      "shared_buffers", "max_connections", "shared_preload_libraries");

  private final PostgresServer server;
  private final boolean statementStats;
  private int databases;

  private BenchPostgres(PostgresServer server, boolean statementStats) {
    this.server = server;
    this.statementStats = statementStats;
  }

  /** Starts a server; {@code pg_stat_statements} is loaded for profiling when the machine has it. */
  public static BenchPostgres start() {
    PostgresServer server = PostgresServer.started();
    try {
      return new BenchPostgres(server, enableStatementStats(server));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Loads pg_stat_statements (a restart) and creates its view in the postgres database, which shows every database's statements. */
  private static boolean enableStatementStats(PostgresServer server) {
    try {
      execute(server.settings("postgres"), "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
      server.restart();
      execute(server.settings("postgres"), "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      return true;
    } catch (RuntimeException e) {
      // Without the extension (no contrib package) the server must still come back as it was.
      execute(server.settings("postgres"), "ALTER SYSTEM RESET shared_preload_libraries");
      server.restart();
      return false;
    }
  }

  /** A database of the server: its name and how to connect. */
  public record Database(String name, DatabaseSettings settings) {}

  /** A new empty database named {@code prefix_<n>}. */
  public synchronized Database createDatabase(String prefix) {
    String name = prefix + "_" + (++databases);
    return new Database(name, server.createDatabase(name));
  }

  public boolean statementStats() {
    return statementStats;
  }

  /** The report's view of the server's settings. */
  public Map<String, String> settings() {
    Map<String, String> shown = new LinkedHashMap<>();
    for (String name : SHOWN_SETTINGS) {
      shown.put(name, query(server.settings("postgres"), "SHOW " + name));
    }
    return shown;
  }

  /** The activity counters of {@code database} and its tables, with this session's own counters flushed first. */
  public DbStats stats(String database) {
    Map<String, DbStats.Rows> tables = new TreeMap<>();
    try (Connection connection = connect(server.settings(database));
         Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_stat_force_next_flush()");
      try (ResultSet rows = statement.executeQuery("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables")) {
        while (rows.next()) {
          tables.merge(rows.getString(1), new DbStats.Rows(rows.getLong(2), rows.getLong(3), rows.getLong(4)),
              (a, b) -> new DbStats.Rows(a.inserted() + b.inserted(), a.updated() + b.updated(), a.deleted() + b.deleted()));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read table statistics of " + database + ": " + e.getMessage(), e);
    }
    try (Connection connection = connect(server.settings("postgres"));
         PreparedStatement select = connection.prepareStatement(
             "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = ?")) {
      select.setString(1, database);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new IllegalStateException("no database " + database);
        }
        return new DbStats(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5), tables);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read statistics of " + database + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits until no client session is connected to {@code database}. A session reports its counters at
   * the latest when it ends (PostgreSQL 15 flushes them lazily), so after this the counters are whole.
   * Autovacuum workers may come and go; they are the server's, not the system's under test.
   */
  public void awaitNoSessions(String database, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String sessions = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = '"
        + database.replace("'", "") + "'";
    while (Long.parseLong(query(server.settings("postgres"), sessions)) > 0) {
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException("sessions still connected to " + database + " after " + timeout);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  /** The most expensive statements run in {@code database} (by total time), for profiling; empty without pg_stat_statements. */
  public List<Map<String, Object>> topStatements(String database, int limit) {
    if (!statementStats) {
      return List.of();
    }
    return StatementStats.top(server.settings("postgres"), database, limit);
  }

  /** CPU seconds of the whole server so far: the postmaster, its live processes and the backends that ended. */
  public OptionalDouble cpuSeconds() {
    long backend = Long.parseLong(query(server.settings("postgres"), "SELECT pg_backend_pid()"));
    return ProcessHandle.of(backend).flatMap(ProcessHandle::parent)
        .map(postmaster -> ProcessCpu.treeSeconds(postmaster.pid())).orElse(OptionalDouble.empty());
  }

  @Override
  public void close() {
    server.close();
  }

  static Connection connect(DatabaseSettings settings) throws SQLException {
    return DriverManager.getConnection(settings.url(), settings.user(), settings.password());
  }

  private static String query(DatabaseSettings settings, String sql) {
    try (Connection connection = connect(settings);
         Statement statement = connection.createStatement();
         ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
    }
  }

  private static void execute(DatabaseSettings settings, String sql) {
    try (Connection connection = connect(settings);
         Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
    }
  }
}
