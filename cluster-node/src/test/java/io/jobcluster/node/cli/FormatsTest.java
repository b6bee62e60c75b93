package io.jobcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How tables show times and durations: short, and "-" (null) for nothing. */
class FormatsTest {
  @Test
  void durationsAreShortAndKeepTheTwoLargestUnits() {
    assertEquals("950ms", Formats.duration(Duration.ofMillis(950)));
    assertEquals("42s", Formats.duration(Duration.ofSeconds(42)));
    assertEquals("3m07s", Formats.duration(Duration.ofSeconds(187)));
    assertEquals("2h05m", Formats.duration(Duration.ofMinutes(125)));
    assertEquals("3d04h", Formats.duration(Duration.ofHours(76)));
    assertEquals("0ms", Formats.duration(Duration.ofSeconds(-5)), "a clock a little ahead of the server's shows no negative age");
    assertNull(Formats.duration(null));
    assertNull(Formats.seconds(null));
  }

  @Test
  void timesAreUtcToTheSecondAndEmptyListsAreNothing() {
    assertEquals("2025-01-02T03:04:05Z", Formats.time(Instant.parse("2025-01-02T03:04:05.678901Z")));
    assertNull(Formats.time(null));
    assertNull(Formats.list(List.of()));
    assertEquals("a,b", Formats.list(List.of("a", "b")));
  }
}
