package io.jobcluster.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.PersistenceConfig;
import io.jobcluster.persistence.SchemaMigrator;
import io.jobcluster.persistence.journal.BatchedJournalDao.TaggedRow;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import scala.Option;

class JournalSqlPostgresTest {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private static JournalSql sql;

  @BeforeAll
  static void migrate() {
    SchemaMigrator.migrate(POSTGRES.settings());
    var config = ConfigFactory.load(PersistenceConfig.forDatabase(POSTGRES.settings())
        .withFallback(ConfigFactory.parseResourcesAnySyntax(PersistenceConfig.RESOURCE)));
    sql = JournalSql.of(new JournalConfig(config.getConfig("jdbc-journal")));
  }

  @Test
  void aBatchIsWrittenWithItsTagsAndOrderingsFollowSequenceNumbers() throws SQLException {
    String pid = "pid-" + UUID.randomUUID();
    try (Connection connection = connect()) {
      // Given out of order, as a batch of several entities' writes may arrive.
      sql.writeAtomically(connection, List.of(tagged(pid, 2, "a", "b"), tagged(pid, 1, "a"), tagged(pid, 3)));

      assertTrue(connection.getAutoCommit(), "the connection is handed back in auto-commit mode");
      assertEquals(List.of(1L, 2L, 3L), longs(connection, "SELECT sequence_number FROM event_journal WHERE persistence_id = ? ORDER BY ordering", pid));
      assertEquals(List.of(1L, 2L, 2L), longs(connection, "SELECT j.sequence_number FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id"
          + " WHERE j.persistence_id = ? ORDER BY j.sequence_number", pid));
    }
  }

  @Test
  void aFailingBatchWritesNothingAtAll() throws SQLException {
    String existing = "pid-" + UUID.randomUUID();
    String other = "pid-" + UUID.randomUUID();
    try (Connection connection = connect()) {
      sql.writeAtomically(connection, List.of(tagged(existing, 1, "a")));

      // A second writer of the same persistence id (a stale incarnation) repeats sequence number 1.
      JournalWriteException failure = assertThrows(JournalWriteException.class,
          () -> sql.writeAtomically(connection, List.of(tagged(other, 1, "a"), tagged(existing, 1, "a"))));

      assertTrue(failure.getMessage().contains("duplicate key"), failure.getMessage());
      assertTrue(connection.getAutoCommit());
      assertEquals(List.of(0L), longs(connection, "SELECT count(*) FROM event_journal WHERE persistence_id = ?", other));
      assertEquals(List.of(1L), longs(connection, "SELECT count(*) FROM event_journal WHERE persistence_id = ?", existing));
      assertEquals(List.of(1L), longs(connection, "SELECT count(*) FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id"
          + " WHERE j.persistence_id IN (?, ?)", existing, other));
    }
  }

  private static TaggedRow tagged(String pid, long seqNr, String... tags) {
    byte[] payload = ("event " + seqNr).getBytes(StandardCharsets.UTF_8);
    return new TaggedRow(new JournalPekkoSerializationRow(Long.MIN_VALUE, false, pid, seqNr, "writer", 0L, "", payload, 20, "",
        Option.empty(), Option.empty(), Option.empty()), List.of(tags));
  }

  private static List<Long> longs(Connection connection, String query, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        java.util.ArrayList<Long> values = new java.util.ArrayList<>();
        while (rows.next()) {
          values.add(rows.getLong(1));
        }
        return values;
      }
    }
  }

  private static Connection connect() throws SQLException {
    DatabaseSettings db = POSTGRES.settings();
    return DriverManager.getConnection(db.url(), db.user(), db.password());
  }
}
