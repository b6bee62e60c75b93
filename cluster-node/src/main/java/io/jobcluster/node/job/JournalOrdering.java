package io.jobcluster.node.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/** The journal's highest ordering now: where a stream of tagged events that starts "from now" begins. */
public final class JournalOrdering {
  private final DataSource dataSource;
  private final Executor blocking;

  /** @param blocking where the query runs */
  public JournalOrdering(DataSource dataSource, Executor blocking) {
    this.dataSource = dataSource;
    this.blocking = blocking;
  }

  public CompletionStage<Long> latest() {
    return CompletableFuture.supplyAsync(this::query, blocking);
  }

  private long query() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement("SELECT COALESCE(MAX(ordering), 0) FROM event_journal");
        ResultSet result = query.executeQuery()) {
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("the journal's latest ordering could not be read", e);
    }
  }
}
