package io.jobcluster.node.readmodel;

import io.jobcluster.node.job.JobEntity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * Removes a deleted job's events (their tag rows follow by the foreign key's cascade) and snapshots,
 * up to its deletion event: whatever the id holds after that is a later job of the same id (a
 * resubmission under the same idempotency key starts over with a new Submitted event), so the
 * removal never leaves part of a job behind. Table names as SchemaMigrator creates them (unquoted,
 * lower case on both databases).
 *
 * <p>In two steps, each committed before the next: first the snapshots and every event before the
 * deletion, then the deletion event. A job entity recovers with two reads (its newest snapshot,
 * then the events after it), and a purge committed between them must not leave it a snapshot of a
 * running job with no events after it: it would take the job for alive and write to it again (a
 * lease renewal on a job retention had removed). With the deletion removed last, whatever a
 * recovery reads in between ends with the deletion, so it recovers to no job.
 */
final class JournalPurge {
  private static final String DELETE_EVENTS_BEFORE = "DELETE FROM event_journal WHERE persistence_id = ? AND sequence_number < ?";
  private static final String DELETE_SNAPSHOTS = "DELETE FROM snapshot WHERE persistence_id = ? AND sequence_number <= ?";
  private static final String DELETE_EVENTS = "DELETE FROM event_journal WHERE persistence_id = ? AND sequence_number <= ?";

  private JournalPurge() {}

  /**
   * The first step: snapshots and the events before the deletion. Idempotent, so a crash before the
   * second step only repeats it.
   *
   * @param deletedAt job id to the sequence number of its deletion event
   */
  static void purgeAllButDeletions(Connection connection, Map<String, Long> deletedAt) throws SQLException {
    run(connection, deletedAt, DELETE_SNAPSHOTS, DELETE_EVENTS_BEFORE);
  }

  /** The second step, in a later transaction than the first: the deletion events. */
  static void purgeDeletions(Connection connection, Map<String, Long> deletedAt) throws SQLException {
    run(connection, deletedAt, DELETE_EVENTS);
  }

  private static void run(Connection connection, Map<String, Long> deletedAt, String... statements) throws SQLException {
    if (deletedAt.isEmpty()) {
      return;
    }
    for (String sql : statements) {
      try (PreparedStatement delete = connection.prepareStatement(sql)) {
        for (Map.Entry<String, Long> job : deletedAt.entrySet()) {
          delete.setString(1, JobEntity.persistenceId(job.getKey()).id());
          delete.setLong(2, job.getValue());
          delete.addBatch();
        }
        delete.executeBatch();
      }
    }
  }
}
