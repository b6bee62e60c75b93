package io.jobcluster.node.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.job.MutableClock;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The database probe behind readiness and the gateway's fast 503s, against a PostgreSQL that goes away and comes back. */
class DatabaseHealthTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final Duration CACHE = Duration.ofSeconds(1);

  @Test
  void followsTheDatabaseDownAndUpAgainEvenWhenEachCheckFinishesAtOnce() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    // Checks run on the calling thread: each one is over before isReachable returns, the way a
    // refused connection on a busy machine can be. The probe must still check again later.
    DatabaseHealth health = new DatabaseHealth(POSTGRES.settings(), Runnable::run, clock, CACHE);
    assertTrue(reachable(health), "before the outage");

    POSTGRES.server().stop();
    try {
      clock.advance(CACHE.plusMillis(1));
      assertFalse(reachable(health), "while the database is down");
      assertFalse(reachable(health), "cached within " + CACHE);
    } finally {
      POSTGRES.server().start();
    }

    clock.advance(CACHE.plusMillis(1));
    assertTrue(reachable(health), "once the database is back");
  }

  private static boolean reachable(DatabaseHealth health) throws Exception {
    return health.isReachable().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
