package io.jobcluster.persistence.journal;

import io.jobcluster.persistence.journal.BatchedJournalDao.TaggedRow;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;

/**
 * The PostgreSQL statement of {@link BatchedJournalDao}: a whole batch of events and their tags in
 * one statement, so one round trip and one commit. The events go in as arrays (one per column,
 * {@code unnest}ed in the order given), the database gives each its {@code ordering} from the
 * column's sequence as it inserts it, and the tag rows are joined to the new events by
 * (persistence id, sequence number). Built once from the journal's table configuration (table and
 * column names are configurable in the plugin); every value is bound.
 */
record JournalSql(String insertEventsAndTags) {

  static JournalSql of(JournalConfig config) {
    var journal = config.eventJournalTableConfiguration();
    var tags = config.eventTagTableConfiguration();
    EventJournalTableColumnNames c = journal.columnNames();
    String columns = String.join(", ", c.deleted(), c.persistenceId(), c.sequenceNumber(), c.writer(), c.writeTimestamp(),
        c.adapterManifest(), c.eventPayload(), c.eventSerId(), c.eventSerManifest(), c.metaPayload(), c.metaSerId(), c.metaSerManifest());
    String sql = "WITH events AS (INSERT INTO " + qualified(journal.schemaName(), journal.tableName()) + " (" + columns + ")"
        // ORDER BY the position in the arrays: orderings are drawn row by row as the rows are inserted,
        // so within an entity they follow its sequence numbers.
        + " SELECT d, p, s, w, t, a, e, ei, em, m, mi, mm FROM unnest(?::boolean[], ?::varchar[], ?::bigint[], ?::varchar[],"
        + " ?::bigint[], ?::varchar[], ?::bytea[], ?::int[], ?::varchar[], ?::bytea[], ?::int[], ?::varchar[])"
        + " WITH ORDINALITY AS batch(d, p, s, w, t, a, e, ei, em, m, mi, mm, position) ORDER BY position"
        + " RETURNING " + c.ordering() + ", " + c.persistenceId() + ", " + c.sequenceNumber() + ")"
        + " INSERT INTO " + qualified(tags.schemaName(), tags.tableName()) + " (" + tags.columnNames().eventId() + ", "
        + tags.columnNames().tag() + ")"
        + " SELECT events." + c.ordering() + ", tagged.tag FROM unnest(?::varchar[], ?::bigint[], ?::varchar[]) AS tagged(p, s, tag)"
        + " JOIN events ON events." + c.persistenceId() + " = tagged.p AND events." + c.sequenceNumber() + " = tagged.s";
    return new JournalSql(sql);
  }

  private static String qualified(scala.Option<String> schema, String table) {
    return schema.isDefined() ? schema.get() + "." + table : table;
  }

  /**
   * Writes {@code batch} on {@code connection} in auto-commit mode: one statement, so all of it
   * or, on any failure (a duplicate sequence number from a second writer of the same persistence
   * id, a lost connection), none of it. Events are inserted in (persistence id, sequence number)
   * order, as the plugin's own inserts would.
   *
   * @throws JournalWriteException when the statement failed
   */
  void writeAtomically(Connection connection, List<TaggedRow> batch) {
    List<JournalPekkoSerializationRow> rows = batch.stream().map(TaggedRow::row)
        .sorted(Comparator.comparing(JournalPekkoSerializationRow::persistenceId).thenComparingLong(JournalPekkoSerializationRow::sequenceNumber))
        .toList();
    try {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      try (PreparedStatement insert = connection.prepareStatement(insertEventsAndTags)) {
        bindEvents(connection, insert, rows);
        bindTags(connection, insert, batch);
        insert.executeUpdate();
      }
    } catch (SQLException e) {
      throw new JournalWriteException(e);
    }
  }

  private static void bindEvents(Connection connection, PreparedStatement insert, List<JournalPekkoSerializationRow> rows)
      throws SQLException {
    int n = rows.size();
    Boolean[] deleted = new Boolean[n];
    String[] persistenceIds = new String[n];
    Long[] sequenceNumbers = new Long[n];
    String[] writers = new String[n];
    Long[] timestamps = new Long[n];
    String[] adapterManifests = new String[n];
    byte[][] payloads = new byte[n][];
    Integer[] serializerIds = new Integer[n];
    String[] serializerManifests = new String[n];
    byte[][] metaPayloads = new byte[n][];
    Integer[] metaSerializerIds = new Integer[n];
    String[] metaSerializerManifests = new String[n];
    for (int i = 0; i < n; i++) {
      JournalPekkoSerializationRow row = rows.get(i);
      deleted[i] = row.deleted();
      persistenceIds[i] = row.persistenceId();
      sequenceNumbers[i] = row.sequenceNumber();
      writers[i] = row.writer();
      timestamps[i] = row.writeTimestamp();
      adapterManifests[i] = row.adapterManifest();
      payloads[i] = row.eventPayload();
      serializerIds[i] = row.eventSerId();
      serializerManifests[i] = row.eventSerManifest();
      metaPayloads[i] = row.metaPayload().isDefined() ? row.metaPayload().get() : null;
      metaSerializerIds[i] = row.metaSerId().isDefined() ? (Integer) row.metaSerId().get() : null;
      metaSerializerManifests[i] = row.metaSerManifest().isDefined() ? row.metaSerManifest().get() : null;
    }
    Array[] columns = {
        connection.createArrayOf("boolean", deleted), connection.createArrayOf("varchar", persistenceIds),
        connection.createArrayOf("bigint", sequenceNumbers), connection.createArrayOf("varchar", writers),
        connection.createArrayOf("bigint", timestamps), connection.createArrayOf("varchar", adapterManifests),
        connection.createArrayOf("bytea", payloads), connection.createArrayOf("int4", serializerIds),
        connection.createArrayOf("varchar", serializerManifests), connection.createArrayOf("bytea", metaPayloads),
        connection.createArrayOf("int4", metaSerializerIds), connection.createArrayOf("varchar", metaSerializerManifests)};
    for (int i = 0; i < columns.length; i++) {
      insert.setArray(i + 1, columns[i]);
    }
  }

  private static void bindTags(Connection connection, PreparedStatement insert, List<TaggedRow> batch) throws SQLException {
    List<String> persistenceIds = new ArrayList<>();
    List<Long> sequenceNumbers = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    for (TaggedRow tagged : batch) {
      for (String tag : tagged.tags()) {
        persistenceIds.add(tagged.row().persistenceId());
        sequenceNumbers.add(tagged.row().sequenceNumber());
        tags.add(tag);
      }
    }
    insert.setArray(13, connection.createArrayOf("varchar", persistenceIds.toArray(String[]::new)));
    insert.setArray(14, connection.createArrayOf("bigint", sequenceNumbers.toArray(Long[]::new)));
    insert.setArray(15, connection.createArrayOf("varchar", tags.toArray(String[]::new)));
  }
}
