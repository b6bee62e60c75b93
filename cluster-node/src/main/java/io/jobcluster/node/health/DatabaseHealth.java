package io.jobcluster.node.health;

import io.jobcluster.persistence.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Whether the database answers, checked with a fresh connection (the pool's own connections may
 * look fine while the server is gone) at most once per {@code cacheFor}, off the caller's thread.
 */
public final class DatabaseHealth {
  private static final int VALIDATION_SECONDS = 2;

  private final DatabaseSettings database;
  private final Executor blockingExecutor;
  private final Clock clock;
  private final Duration cacheFor;
  private volatile Instant checkedAt = Instant.MIN;
  private volatile boolean reachable;
  private CompletableFuture<Boolean> inFlight;

  public DatabaseHealth(DatabaseSettings database, Executor blockingExecutor, Clock clock, Duration cacheFor) {
    this.database = database;
    this.blockingExecutor = blockingExecutor;
    this.clock = clock;
    this.cacheFor = cacheFor;
  }

  public CompletionStage<Boolean> isReachable() {
    CompletableFuture<Boolean> next;
    synchronized (this) {
      if (clock.instant().isBefore(checkedAt.plus(cacheFor))) {
        return CompletableFuture.completedFuture(reachable);
      }
      if (inFlight != null) {
        return inFlight;
      }
      // Registered before the check starts: a check that finishes at once must not leave a completed
      // future behind as "in flight", which would answer its result forever after.
      next = new CompletableFuture<>();
      inFlight = next;
    }
    CompletableFuture.supplyAsync(this::check, blockingExecutor).whenComplete((ok, error) -> recordCheck(next, Boolean.TRUE.equals(ok)));
    return next;
  }

  private void recordCheck(CompletableFuture<Boolean> check, boolean ok) {
    synchronized (this) {
      reachable = ok;
      checkedAt = clock.instant();
      inFlight = null;
    }
    check.complete(ok);
  }

  private boolean check() {
    DriverManager.setLoginTimeout(VALIDATION_SECONDS);
    try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password())) {
      return connection.isValid(VALIDATION_SECONDS);
    } catch (SQLException e) {
      return false;
    }
  }
}
