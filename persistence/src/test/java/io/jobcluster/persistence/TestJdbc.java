package io.jobcluster.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Plain JDBC for assertions on what ended up in a database. */
final class TestJdbc {
  private TestJdbc() {}

  static long count(DatabaseSettings db, String sql, Object... parameters) {
    return queryLongs(db, sql, parameters).get(0);
  }

  static List<Long> queryLongs(DatabaseSettings db, String sql, Object... parameters) {
    try (Connection connection = connect(db);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      List<Long> values = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          values.add(rows.getLong(1));
        }
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  static void update(DatabaseSettings db, String sql, Object... parameters) {
    try (Connection connection = connect(db);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  static boolean tableExists(DatabaseSettings db, String table) {
    try (Connection connection = connect(db);
        ResultSet tables = connection.getMetaData().getTables(null, null, table, null)) {
      return tables.next();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection connect(DatabaseSettings db) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", db.user());
    properties.setProperty("password", db.password());
    return DriverManager.getConnection(db.url(), properties);
  }
}
