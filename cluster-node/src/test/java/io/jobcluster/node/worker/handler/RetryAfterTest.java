package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration MAX = Duration.ofHours(1);

  @Test
  void deltaSecondsCountFromNow() {
    assertEquals(Optional.of(NOW.plusSeconds(120)), RetryAfter.parse("120", NOW, MAX));
    assertEquals(Optional.of(NOW.plusSeconds(3)), RetryAfter.parse(" 3 ", NOW, MAX));
  }

  @Test
  void anHttpDateIsTakenAsIs() {
    assertEquals(Optional.of(Instant.parse("2026-03-01T12:05:30Z")), RetryAfter.parse("Sun, 01 Mar 2026 12:05:30 GMT", NOW, MAX));
  }

  @Test
  void aLongerDelayIsCappedAtTheMaximum() {
    assertEquals(Optional.of(NOW.plus(MAX)), RetryAfter.parse("86400", NOW, MAX));
    assertEquals(Optional.of(NOW.plus(MAX)), RetryAfter.parse("99999999999999999999999", NOW, MAX));
    assertEquals(Optional.of(NOW.plus(MAX)), RetryAfter.parse("Tue, 01 Mar 2033 12:00:00 GMT", NOW, MAX));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "soon", "-5", "1.5", "0", "3s", "Sun, 01 Mar 2026 11:59:00 GMT", "2026-03-01T12:05:30Z",
      "Sun, 32 Mar 2026 12:05:30 GMT"})
  void garbageZeroAndThePastSayNothing(String value) {
    assertEquals(Optional.empty(), RetryAfter.parse(value, NOW, MAX));
  }

  @Test
  void noHeaderSaysNothing() {
    assertEquals(Optional.empty(), RetryAfter.parse(null, NOW, MAX));
  }
}
