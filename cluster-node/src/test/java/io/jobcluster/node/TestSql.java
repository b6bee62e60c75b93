package io.jobcluster.node;

import io.jobcluster.persistence.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads a test's database directly, on a connection of its own. */
final class TestSql {
  private TestSql() {}

  /** The number {@code sql} (a {@code SELECT COUNT(*) ...}) answers with {@code parameters} bound. */
  static long count(DatabaseSettings db, String sql, Object... parameters) throws SQLException {
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
