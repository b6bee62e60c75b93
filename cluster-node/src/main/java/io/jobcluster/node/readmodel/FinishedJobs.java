package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.JobStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The read model's finished jobs, for the retention sweep: those due for removal, oldest first, and
 * the oldest one's finish. Both read through the partial index on {@code finished_at}; every value
 * is a parameter.
 */
public final class FinishedJobs {
  private static final List<String> FINISHED = List.of(JobStatus.COMPLETED.name(), JobStatus.FAILED.name(), JobStatus.CANCELLED.name(),
      JobStatus.EXPIRED.name());

  /** Jobs finished before these instants are due: COMPLETED ones before {@code completed}, the others before {@code other}. */
  public record Cutoffs(Instant completed, Instant other) {
    Instant latest() {
      return completed.isAfter(other) ? completed : other;
    }
  }

  /** A position in (finished_at, id) order; a page starts after it. */
  public record After(Instant finishedAt, String id) {
    public static After of(FinishedJob job) {
      return new After(job.finishedAt(), job.id());
    }
  }

  private final JobQueries queries;

  public FinishedJobs(JobQueries queries) {
    this.queries = queries;
  }

  /**
   * Finished jobs due for removal, in (finished_at, id) order after {@code after} (null: from the
   * first): a tenant named in {@code tenants} by its own cutoffs, every other job by {@code defaults}.
   */
  public CompletionStage<List<FinishedJob>> due(Cutoffs defaults, Map<String, Cutoffs> tenants, After after, int limit) {
    return queries.run("finishedDue", connection -> due(connection, defaults, tenants, after, limit));
  }

  /** When the longest-finished job still in the read model finished; empty when none is. */
  public CompletionStage<Optional<Instant>> oldestFinish() {
    return queries.run("oldestFinish", FinishedJobs::oldestFinish);
  }

  private static List<FinishedJob> due(Connection connection, Cutoffs defaults, Map<String, Cutoffs> tenants, After after, int limit)
      throws SQLException {
    List<Object> values = new ArrayList<>(FINISHED);
    Instant latest = tenants.values().stream().map(Cutoffs::latest).reduce(defaults.latest(), (a, b) -> a.isAfter(b) ? a : b);
    StringBuilder sql = new StringBuilder("SELECT id, tenant, status, finished_at, last_seq_nr FROM jobs WHERE status IN (")
        .append(placeholders(FINISHED.size())).append(") AND finished_at < ?");
    values.add(latest);
    if (after != null) {
      sql.append(" AND (finished_at > ? OR (finished_at = ? AND id > ?))");
      values.addAll(List.of(after.finishedAt(), after.finishedAt(), after.id()));
    }
    sql.append(" AND ((");
    if (!tenants.isEmpty()) {
      sql.append("(tenant IS NULL OR tenant NOT IN (").append(placeholders(tenants.size())).append(")) AND ");
      values.addAll(tenants.keySet());
    }
    appendCutoffs(sql, values, defaults);
    sql.append(")");
    for (Map.Entry<String, Cutoffs> tenant : tenants.entrySet()) {
      sql.append(" OR (tenant = ? AND ");
      values.add(tenant.getKey());
      appendCutoffs(sql, values, tenant.getValue());
      sql.append(")");
    }
    sql.append(") ORDER BY finished_at, id LIMIT ?");
    values.add(limit);
    List<FinishedJob> due = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
      Sql.bindAll(select, values);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          due.add(new FinishedJob(rows.getString("id"), rows.getString("tenant"), JobStatus.valueOf(rows.getString("status")),
              Sql.instant(rows, "finished_at"), rows.getLong("last_seq_nr")));
        }
      }
    }
    return due;
  }

  private static void appendCutoffs(StringBuilder sql, List<Object> values, Cutoffs cutoffs) {
    sql.append("((status = ? AND finished_at < ?) OR (status <> ? AND finished_at < ?))");
    values.addAll(List.of(JobStatus.COMPLETED.name(), cutoffs.completed(), JobStatus.COMPLETED.name(), cutoffs.other()));
  }

  private static Optional<Instant> oldestFinish(Connection connection) throws SQLException {
    String sql = "SELECT MIN(finished_at) AS oldest FROM jobs WHERE finished_at IS NOT NULL AND status IN (" + placeholders(FINISHED.size())
        + ")";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      Sql.bindAll(select, FINISHED);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.ofNullable(Sql.instant(rows, "oldest")) : Optional.empty();
      }
    }
  }

  private static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }
}
