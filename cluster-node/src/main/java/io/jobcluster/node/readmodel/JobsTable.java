package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.JobStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes {@code jobs} rows; the same SQL on PostgreSQL and H2, every value a parameter. */
final class JobsTable {
  /** Every column but {@code id}, in binding order. */
  private static final List<String> VALUE_COLUMNS = List.of("tenant", "queue", "type", "status", "priority", "attempts",
      "max_attempts", "created_at", "updated_at", "spec_run_at", "run_at", "expires_at", "ready_at", "started_at", "finished_at",
      "worker_id", "node", "lease_expires_at", "deadline_at", "last_error", "tags", "payload_bytes", "last_seq_nr");

  static final String COLUMNS = "id, " + String.join(", ", VALUE_COLUMNS);

  private static final String INSERT = "INSERT INTO jobs (" + COLUMNS + ") VALUES (?"
      + ", ?".repeat(VALUE_COLUMNS.size()) + ")";
  private static final String UPDATE = "UPDATE jobs SET " + String.join(" = ?, ", VALUE_COLUMNS) + " = ? WHERE id = ?";
  private static final String DELETE = "DELETE FROM jobs WHERE id = ?";
  /** Ids per SELECT ... IN (...), well below every driver's parameter limit. */
  private static final int LOAD_CHUNK = 500;

  private JobsTable() {}

  static Map<String, JobRow> load(Connection connection, Collection<String> ids) throws SQLException {
    Map<String, JobRow> rows = new HashMap<>();
    List<String> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += LOAD_CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + LOAD_CHUNK));
      String sql = "SELECT " + COLUMNS + " FROM jobs WHERE id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        Sql.bindAll(select, chunk);
        try (ResultSet result = select.executeQuery()) {
          while (result.next()) {
            JobRow row = read(result);
            rows.put(row.id(), row);
          }
        }
      }
    }
    return rows;
  }

  static void insert(Connection connection, Collection<JobRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (JobRow row : rows) {
        List<Object> values = new ArrayList<>();
        values.add(row.id());
        values.addAll(values(row));
        Sql.bindAll(insert, values);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  static void update(Connection connection, Collection<JobRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
      for (JobRow row : rows) {
        List<Object> values = new ArrayList<>(values(row));
        values.add(row.id());
        Sql.bindAll(update, values);
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  static void delete(Connection connection, Collection<String> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
      for (String id : ids) {
        delete.setString(1, id);
        delete.addBatch();
      }
      delete.executeBatch();
    }
  }

  /** The row at the cursor of a result selected with {@link #COLUMNS}. */
  static JobRow read(ResultSet row) throws SQLException {
    String tags = row.getString("tags");
    return new JobRow(row.getString("id"), row.getString("tenant"), row.getString("queue"), row.getString("type"),
        JobStatus.valueOf(row.getString("status")), row.getInt("priority"), row.getInt("attempts"), row.getInt("max_attempts"),
        Sql.instant(row, "created_at"), Sql.instant(row, "updated_at"), Sql.instant(row, "spec_run_at"), Sql.instant(row, "run_at"),
        Sql.instant(row, "expires_at"), Sql.instant(row, "ready_at"), Sql.instant(row, "started_at"), Sql.instant(row, "finished_at"),
        row.getString("worker_id"), row.getString("node"), Sql.instant(row, "lease_expires_at"), Sql.instant(row, "deadline_at"),
        row.getString("last_error"),
        tags == null ? List.of() : Arrays.asList(tags.split(",")), row.getInt("payload_bytes"), row.getLong("last_seq_nr"));
  }

  private static List<Object> values(JobRow row) {
    // Tags cannot contain commas (JobSpec validates them), so a comma-joined text is unambiguous.
    String tags = row.tags().isEmpty() ? null : String.join(",", row.tags());
    return Arrays.asList(row.tenant(), row.queue(), row.type(), row.status().name(), row.priority(), row.attempts(),
        row.maxAttempts(), row.createdAt(), row.updatedAt(), row.specRunAt(), row.runAt(), row.expiresAt(), row.readyAt(),
        row.startedAt(), row.finishedAt(), row.workerId(), row.node(), row.leaseExpiresAt(), row.deadlineAt(), row.lastError(),
        tags, row.payloadBytes(), row.lastSeqNr());
  }
}
