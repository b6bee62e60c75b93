package io.jobcluster.persistence;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The cluster's secret kept in the database (table {@code jobcluster_cluster_secret}, migration V7),
 * for clusters that configure none: the first node draws 32 random bytes and stores them, every
 * node (and every restart) reads the same row, so all of them derive the same ids. Nodes starting
 * together race on the primary key; the loser reads the winner's secret.
 */
public final class ClusterSecretStore {
  private static final int SECRET_BYTES = 32;
  private static final String SELECT = "SELECT secret FROM jobcluster_cluster_secret WHERE id = 1";
  private static final String INSERT = "INSERT INTO jobcluster_cluster_secret (id, secret, created_at) VALUES (1, ?, ?)";
  /** SQLSTATE of a unique or primary key violation, on PostgreSQL and H2 alike. */
  private static final String UNIQUE_VIOLATION = "23505";

  private ClusterSecretStore() {}

  /** The stored secret, drawn and stored first if there is none yet. Needs the schema applied. */
  public static byte[] readOrCreate(DatabaseSettings db) {
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      byte[] stored = read(connection);
      if (stored != null) {
        return stored;
      }
      byte[] drawn = new byte[SECRET_BYTES];
      new SecureRandom().nextBytes(drawn);
      try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
        insert.setString(1, HexFormat.of().formatHex(drawn));
        insert.setTimestamp(2, Timestamp.from(Instant.now()));
        insert.executeUpdate();
        return drawn;
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        return read(connection); // another node stored its secret first
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read or store the cluster secret in " + db.redactedUrl() + ": " + e.getMessage(), e);
    }
  }

  private static byte[] read(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT); ResultSet row = select.executeQuery()) {
      return row.next() ? HexFormat.of().parseHex(row.getString(1)) : null;
    }
  }
}
