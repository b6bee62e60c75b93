package io.jobcluster.node.webhook;

import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.WebhookAttempt;
import io.jobcluster.protocol.wire.WebhookDelivery;
import io.jobcluster.protocol.wire.WebhookSecret;
import io.jobcluster.protocol.wire.WebhookSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * The webhook tables: tenants' secrets and default URLs, deliveries and their attempts. Every call
 * runs its (parameterized) SQL on the blocking executor. Secrets are read here and never logged.
 */
public final class WebhookStore {
  private final DataSource dataSource;
  private final Executor blocking;

  public WebhookStore(DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  /** A delivery that is due, as a deliverer claims it. */
  record Due(String jobId, long seqNr, String tenant, String url, int attempts) {}

  /** Draws a new secret for {@code tenant}; the previous one stops signing at once. */
  CompletionStage<WebhookSecret> drawSecret(String tenant, Instant now) {
    String secret = WebhookSignature.newSecret();
    return run(connection -> {
      upsert(connection, tenant, "secret = ?, secret_created_at = ?", "secret, secret_created_at", secret, Timestamp.from(now));
      return new WebhookSecret(tenant, secret, now);
    });
  }

  /** Sets (null: removes) the tenant's default webhook URL. */
  CompletionStage<WebhookSettings> setDefaultUrl(String tenant, String url) {
    return run(connection -> {
      upsert(connection, tenant, "default_url = ?", "default_url", url);
      return read(connection, tenant);
    });
  }

  CompletionStage<WebhookSettings> settings(String tenant) {
    return run(connection -> read(connection, tenant));
  }

  /** The tenant's secret; empty while it has none. */
  CompletionStage<Optional<String>> secret(String tenant) {
    return run(connection -> {
      try (PreparedStatement query = connection.prepareStatement("SELECT secret FROM webhook_tenants WHERE tenant = ?")) {
        query.setString(1, tenant);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
        }
      }
    });
  }

  /** Pending deliveries due at {@code now}, the longest due first. */
  CompletionStage<List<Due>> due(Instant now, int limit) {
    return run(connection -> {
      try (PreparedStatement query = connection.prepareStatement("SELECT job_id, seq_nr, tenant, url, attempts FROM webhook_deliveries"
          + " WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?")) {
        query.setTimestamp(1, Timestamp.from(now));
        query.setInt(2, limit);
        List<Due> due = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            due.add(new Due(rows.getString(1), rows.getLong(2), rows.getString(3), rows.getString(4), rows.getInt(5)));
          }
        }
        return due;
      }
    });
  }

  /**
   * Claims the next attempt of {@code due} until {@code claimUntil}: true for the one node whose
   * update found the delivery as it read it; if that node dies, the claim lapses and another retries.
   */
  CompletionStage<Boolean> claim(Due due, Instant now, Instant claimUntil) {
    return run(connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE webhook_deliveries SET attempts = attempts + 1,"
          + " next_attempt_at = ?, updated_at = ? WHERE job_id = ? AND seq_nr = ? AND state = 'pending' AND attempts = ?")) {
        update.setTimestamp(1, Timestamp.from(claimUntil));
        update.setTimestamp(2, Timestamp.from(now));
        update.setString(3, due.jobId());
        update.setLong(4, due.seqNr());
        update.setInt(5, due.attempts());
        return update.executeUpdate() == 1;
      }
    });
  }

  /** Records attempt {@code attempt} of {@code due} and where the delivery stands after it, in one transaction. */
  CompletionStage<Void> record(Due due, WebhookAttempt attempt, String state, Instant nextAttemptAt) {
    return run(connection -> {
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO webhook_attempts (job_id, seq_nr, attempt, at, duration_ms,"
          + " http_status, error) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, due.jobId());
        insert.setLong(2, due.seqNr());
        insert.setInt(3, attempt.attempt());
        insert.setTimestamp(4, Timestamp.from(attempt.at()));
        insert.setLong(5, attempt.durationMs());
        if (attempt.httpStatus() == null) {
          insert.setNull(6, Types.INTEGER);
        } else {
          insert.setInt(6, attempt.httpStatus());
        }
        insert.setString(7, attempt.error() == null ? null : truncate(attempt.error(), 500));
        insert.executeUpdate();
      }
      try (PreparedStatement update = connection.prepareStatement("UPDATE webhook_deliveries SET state = ?, next_attempt_at = ?,"
          + " updated_at = ? WHERE job_id = ? AND seq_nr = ?")) {
        update.setString(1, state);
        update.setTimestamp(2, Timestamp.from(nextAttemptAt));
        update.setTimestamp(3, Timestamp.from(attempt.at().plusMillis(attempt.durationMs())));
        update.setString(4, due.jobId());
        update.setLong(5, due.seqNr());
        update.executeUpdate();
      }
      return null;
    });
  }

  /** The deliveries of job {@code jobId}, oldest first, each with its attempts. */
  CompletionStage<List<WebhookDelivery>> deliveries(String jobId) {
    return run(connection -> {
      List<WebhookDelivery> deliveries = new ArrayList<>();
      try (PreparedStatement query = connection.prepareStatement("SELECT seq_nr, job_status, url, state, attempts, next_attempt_at,"
          + " created_at, updated_at FROM webhook_deliveries WHERE job_id = ? ORDER BY seq_nr")) {
        query.setString(1, jobId);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            long seqNr = rows.getLong(1);
            deliveries.add(new WebhookDelivery(jobId, seqNr, JobStatus.valueOf(rows.getString(2)), rows.getString(3), rows.getString(4),
                rows.getInt(5), rows.getTimestamp(6).toInstant(), rows.getTimestamp(7).toInstant(), rows.getTimestamp(8).toInstant(),
                attempts(connection, jobId, seqNr)));
          }
        }
      }
      return deliveries;
    });
  }

  private static List<WebhookAttempt> attempts(Connection connection, String jobId, long seqNr) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT attempt, at, duration_ms, http_status, error FROM webhook_attempts"
        + " WHERE job_id = ? AND seq_nr = ? ORDER BY attempt")) {
      query.setString(1, jobId);
      query.setLong(2, seqNr);
      List<WebhookAttempt> attempts = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          int status = rows.getInt(4);
          Integer httpStatus = rows.wasNull() ? null : status;
          attempts.add(new WebhookAttempt(rows.getInt(1), rows.getTimestamp(2).toInstant(), rows.getLong(3), httpStatus, rows.getString(5)));
        }
      }
      return attempts;
    }
  }

  private static WebhookSettings read(Connection connection, String tenant) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT default_url, secret_created_at FROM webhook_tenants WHERE tenant = ?")) {
      query.setString(1, tenant);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return new WebhookSettings(tenant, null, null);
        }
        Timestamp created = rows.getTimestamp(2);
        return new WebhookSettings(tenant, rows.getString(1), created == null ? null : created.toInstant());
      }
    }
  }

  /** Updates the tenant's row, or inserts it when there is none (two admins racing: one of them gets an error and tries again). */
  private static void upsert(Connection connection, String tenant, String assignments, String columns, Object... values) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE webhook_tenants SET " + assignments + " WHERE tenant = ?")) {
      bind(update, values);
      update.setString(values.length + 1, tenant);
      if (update.executeUpdate() == 1) {
        return;
      }
    }
    String marks = "?, ".repeat(values.length);
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO webhook_tenants (" + columns + ", tenant) VALUES (" + marks + "?)")) {
      bind(insert, values);
      insert.setString(values.length + 1, tenant);
      insert.executeUpdate();
    }
  }

  private static void bind(PreparedStatement statement, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        statement.setNull(i + 1, Types.VARCHAR);
      } else {
        statement.setObject(i + 1, values[i]);
      }
    }
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }

  @FunctionalInterface
  private interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** {@code work} in one transaction (the pool's connections do not commit by themselves). */
  private <T> CompletionStage<T> run(Work<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection connection = dataSource.getConnection()) {
        try {
          T result = work.apply(connection);
          connection.commit();
          return result;
        } catch (SQLException e) {
          connection.rollback();
          throw e;
        }
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }
}
