package io.jobcluster.bench.run;

import io.jobcluster.persistence.DatabaseSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The top statements of one database from {@code pg_stat_statements}, for the raw results (where the database time goes). */
final class StatementStats {
  private static final String TOP = "SELECT s.calls, round(s.total_exec_time::numeric, 1) AS total_ms, "
      + "round(s.mean_exec_time::numeric, 3) AS mean_ms, s.rows, left(s.query, 300) AS query "
      + "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = ? "
      + "ORDER BY s.total_exec_time DESC LIMIT ?";

  private StatementStats() {}

  static List<Map<String, Object>> top(DatabaseSettings postgres, String database, int limit) {
    try (Connection connection = BenchPostgres.connect(postgres);
         PreparedStatement select = connection.prepareStatement(TOP)) {
      select.setString(1, database);
      select.setInt(2, limit);
      List<Map<String, Object>> rows = new ArrayList<>();
      try (ResultSet result = select.executeQuery()) {
        ResultSetMetaData columns = result.getMetaData();
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int c = 1; c <= columns.getColumnCount(); c++) {
            row.put(columns.getColumnLabel(c), result.getObject(c));
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read pg_stat_statements: " + e.getMessage(), e);
    }
  }
}
