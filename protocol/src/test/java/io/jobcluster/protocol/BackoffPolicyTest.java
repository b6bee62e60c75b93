package io.jobcluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {
  private final BackoffPolicy policy = BackoffPolicy.exponential(2, 3, 60);

  @Test
  void theCeilingGrowsExponentiallyUpToTheMaximum() {
    assertEquals(Duration.ofSeconds(2), policy.ceilingAfter(1));
    assertEquals(Duration.ofSeconds(6), policy.ceilingAfter(2));
    assertEquals(Duration.ofSeconds(18), policy.ceilingAfter(3));
    assertEquals(Duration.ofSeconds(54), policy.ceilingAfter(4));
    assertEquals(Duration.ofSeconds(60), policy.ceilingAfter(5));
    assertEquals(Duration.ofSeconds(60), policy.ceilingAfter(500));
  }

  @Test
  void jitteredDelaysStayBetweenHalfTheCeilingAndTheCeiling() {
    Random random = new Random(42);
    for (int attempt = 1; attempt <= 8; attempt++) {
      Duration ceiling = policy.ceilingAfter(attempt);
      for (int i = 0; i < 1_000; i++) {
        Duration delay = policy.delayAfter(attempt, random.nextDouble());
        assertTrue(delay.compareTo(ceiling.dividedBy(2)) >= 0 && delay.compareTo(ceiling) <= 0, delay + " for " + ceiling);
      }
    }
    assertEquals(Duration.ofSeconds(1), policy.delayAfter(1, 0));
  }

  @Test
  void rejectsPoliciesThatMakeNoSense() {
    assertEquals("backoff.initialSeconds", assertThrows(InvalidRequestException.class, () -> BackoffPolicy.exponential(0, 2, 10)).field());
    assertEquals("backoff.multiplier", assertThrows(InvalidRequestException.class, () -> BackoffPolicy.exponential(1, 0.5, 10)).field());
    assertEquals("backoff.maxSeconds", assertThrows(InvalidRequestException.class, () -> BackoffPolicy.exponential(5, 2, 1)).field());
    assertEquals("backoff.initialSeconds", assertThrows(InvalidRequestException.class, () -> BackoffPolicy.exponential(Double.NaN, 2, 1)).field());
  }
}
