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
 * removal never leaves part of a job behind. Run by the projection in the transaction that stores
 * its offset, so a crash either keeps both undone (the deletion event is read again) or both done.
 * Table names as SchemaMigrator creates them (unquoted, lower case on both databases).
 */
final class JournalPurge {
  private static final String DELETE_EVENTS = "DELETE FROM event_journal WHERE persistence_id = ? AND sequence_number <= ?";
  private static final String DELETE_SNAPSHOTS = "DELETE FROM snapshot WHERE persistence_id = ? AND sequence_number <= ?";

  private JournalPurge() {}

  /** @param deletedAt job id to the sequence number of its deletion event */
  static void purge(Connection connection, Map<String, Long> deletedAt) throws SQLException {
    if (deletedAt.isEmpty()) {
      return;
    }
    for (String sql : new String[] {DELETE_EVENTS, DELETE_SNAPSHOTS}) {
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
