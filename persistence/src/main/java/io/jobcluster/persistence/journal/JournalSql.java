package io.jobcluster.persistence.journal;

import io.jobcluster.persistence.journal.BatchedJournalDao.TaggedRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;

/**
 * The PostgreSQL statements of {@link BatchedJournalDao}, built once from the journal's table
 * configuration (table and column names are configurable in the plugin; values are always bound).
 */
record JournalSql(String nextOrderings, String insertEvent, String insertTag) {

  static JournalSql of(JournalConfig config) {
    var journal = config.eventJournalTableConfiguration();
    var tags = config.eventTagTableConfiguration();
    String journalTable = qualified(journal.schemaName(), journal.tableName());
    EventJournalTableColumnNames c = journal.columnNames();
    // pg_get_serial_sequence finds the sequence behind the BIGSERIAL ordering column, whatever its name.
    String nextOrderings = "SELECT nextval(pg_get_serial_sequence('" + journalTable + "', '" + c.ordering() + "'))"
        + " FROM generate_series(1, ?)";
    String insertEvent = "INSERT INTO " + journalTable + " (" + String.join(", ", c.ordering(), c.deleted(), c.persistenceId(),
        c.sequenceNumber(), c.writer(), c.writeTimestamp(), c.adapterManifest(), c.eventPayload(), c.eventSerId(), c.eventSerManifest(),
        c.metaPayload(), c.metaSerId(), c.metaSerManifest()) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    String insertTag = "INSERT INTO " + qualified(tags.schemaName(), tags.tableName()) + " (" + tags.columnNames().eventId() + ", "
        + tags.columnNames().tag() + ") VALUES (?, ?)";
    return new JournalSql(nextOrderings, insertEvent, insertTag);
  }

  private static String qualified(scala.Option<String> schema, String table) {
    return schema.isDefined() ? schema.get() + "." + table : table;
  }

  /**
   * Writes {@code batch} in one transaction on {@code connection}: all of it or, on any failure
   * (a duplicate sequence number from a second writer of the same persistence id, a lost
   * connection), none of it.
   *
   * @throws JournalWriteException after rolling back
   */
  void writeAtomically(Connection connection, List<TaggedRow> batch) {
    try {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        write(connection, batch);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new JournalWriteException(e);
    }
  }

  /**
   * Writes {@code batch} on {@code connection} within the caller's transaction. Orderings are
   * handed out in (persistence id, sequence number) order, as the plugin's own inserts would.
   */
  private void write(Connection connection, List<TaggedRow> batch) throws SQLException {
    List<TaggedRow> sorted = batch.stream()
        .sorted(Comparator.comparing((TaggedRow r) -> r.row().persistenceId()).thenComparingLong(r -> r.row().sequenceNumber()))
        .toList();
    long[] orderings = nextOrderings(connection, sorted.size());
    try (PreparedStatement events = connection.prepareStatement(insertEvent)) {
      for (int i = 0; i < sorted.size(); i++) {
        bindEvent(events, orderings[i], sorted.get(i).row());
        events.addBatch();
      }
      events.executeBatch();
    }
    boolean anyTag = false;
    try (PreparedStatement tags = connection.prepareStatement(insertTag)) {
      for (int i = 0; i < sorted.size(); i++) {
        for (String tag : sorted.get(i).tags()) {
          tags.setLong(1, orderings[i]);
          tags.setString(2, tag);
          tags.addBatch();
          anyTag = true;
        }
      }
      if (anyTag) {
        tags.executeBatch();
      }
    }
  }

  private long[] nextOrderings(Connection connection, int count) throws SQLException {
    long[] orderings = new long[count];
    try (PreparedStatement select = connection.prepareStatement(nextOrderings)) {
      select.setInt(1, count);
      try (ResultSet result = select.executeQuery()) {
        for (int i = 0; i < count; i++) {
          if (!result.next()) {
            throw new SQLException("the ordering sequence gave " + i + " values for " + count + " events");
          }
          orderings[i] = result.getLong(1);
        }
      }
    }
    // nextval hands out ascending values; sorting makes the order explicit rather than assumed.
    Arrays.sort(orderings);
    return orderings;
  }

  private static void bindEvent(PreparedStatement insert, long ordering, JournalPekkoSerializationRow row) throws SQLException {
    insert.setLong(1, ordering);
    insert.setBoolean(2, row.deleted());
    insert.setString(3, row.persistenceId());
    insert.setLong(4, row.sequenceNumber());
    insert.setString(5, row.writer());
    insert.setLong(6, row.writeTimestamp());
    insert.setString(7, row.adapterManifest());
    insert.setBytes(8, row.eventPayload());
    insert.setInt(9, row.eventSerId());
    insert.setString(10, row.eventSerManifest());
    if (row.metaPayload().isDefined()) {
      insert.setBytes(11, row.metaPayload().get());
      insert.setInt(12, (Integer) row.metaSerId().get());
      insert.setString(13, row.metaSerManifest().get());
    } else {
      insert.setNull(11, Types.BINARY);
      insert.setNull(12, Types.INTEGER);
      insert.setNull(13, Types.VARCHAR);
    }
  }
}
