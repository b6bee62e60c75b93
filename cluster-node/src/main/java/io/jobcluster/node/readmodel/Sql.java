package io.jobcluster.node.readmodel;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** JDBC binding and SQL shared by the read model's tables; timestamps are UTC with microseconds. */
final class Sql {
  private Sql() {}

  /** Both databases keep microseconds; truncating here makes what we write what we read back. */
  static Instant micros(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
  }

  static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
    if (value instanceof Instant instant) {
      statement.setObject(index, OffsetDateTime.ofInstant(micros(instant), ZoneOffset.UTC));
    } else if (value == null) {
      statement.setNull(index, Types.NULL);
    } else if (value instanceof String text && text.indexOf('\u0000') >= 0) {
      // PostgreSQL text cannot hold NUL; refusing the row would stop the projection for every job.
      statement.setObject(index, text.replace('\u0000', '\uFFFD'));
    } else {
      statement.setObject(index, value);
    }
  }

  static void bindAll(PreparedStatement statement, List<?> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      bind(statement, i + 1, values.get(i));
    }
  }

  /**
   * Milliseconds from one timestamp expression to another (fractional, to the microsecond). Epoch
   * seconds are the time arithmetic PostgreSQL and H2 share; subtracting timestamps gives intervals
   * that the two read out differently.
   */
  static String millisBetween(String from, String to) {
    return "(EXTRACT(EPOCH FROM " + to + ") - EXTRACT(EPOCH FROM " + from + ")) * 1000";
  }

  static Instant instant(ResultSet rows, String column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
