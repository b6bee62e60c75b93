package io.jobcluster.node.readmodel;

import io.jobcluster.persistence.Dialect;
import io.jobcluster.protocol.JobStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Writes {@code job_history}. An insert of a (job, sequence number) already there changes
 * nothing, so a replayed event cannot duplicate a transition; that takes a statement per dialect.
 */
final class HistoryTable {
  static final String COLUMNS = "job_id, seq_nr, at, from_status, to_status, attempt, worker_id, node, detail";

  private static final String VALUES = " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_POSTGRES =
      "INSERT INTO job_history (" + COLUMNS + ")" + VALUES + " ON CONFLICT (job_id, seq_nr) DO NOTHING";
  private static final String INSERT_H2 = "MERGE INTO job_history (" + COLUMNS + ") KEY (job_id, seq_nr)" + VALUES;
  private static final String DELETE_UP_TO = "DELETE FROM job_history WHERE job_id = ? AND seq_nr <= ?";

  private HistoryTable() {}

  static void insert(Connection connection, Dialect dialect, Collection<JobTransition> transitions) throws SQLException {
    if (transitions.isEmpty()) {
      return;
    }
    String sql = switch (dialect) {
      case POSTGRES -> INSERT_POSTGRES;
      case H2 -> INSERT_H2;
    };
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      for (JobTransition t : transitions) {
        Sql.bindAll(insert, Arrays.asList(t.jobId(), t.seqNr(), t.at(), t.from() == null ? null : t.from().name(), t.to().name(),
            t.attempt(), t.workerId(), t.node(), t.detail()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Deletes each job's history up to the sequence number of its deletion (a later job under the same id keeps its own). */
  static void deleteUpTo(Connection connection, Map<String, Long> lastSeqNrByJob) throws SQLException {
    if (lastSeqNrByJob.isEmpty()) {
      return;
    }
    try (PreparedStatement delete = connection.prepareStatement(DELETE_UP_TO)) {
      for (Map.Entry<String, Long> job : lastSeqNrByJob.entrySet()) {
        delete.setString(1, job.getKey());
        delete.setLong(2, job.getValue());
        delete.addBatch();
      }
      delete.executeBatch();
    }
  }

  /** The transition at the cursor of a result selected with {@link #COLUMNS}. */
  static JobTransition read(ResultSet row) throws SQLException {
    String from = row.getString("from_status");
    return new JobTransition(row.getString("job_id"), row.getLong("seq_nr"), Sql.instant(row, "at"),
        from == null ? null : JobStatus.valueOf(from), JobStatus.valueOf(row.getString("to_status")), row.getInt("attempt"),
        row.getString("worker_id"), row.getString("node"), row.getString("detail"));
  }
}
