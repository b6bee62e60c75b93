package io.jobcluster.node.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** How tables show times, durations and lists. */
final class Formats {
  private Formats() {}

  /** ISO-8601 UTC to the second; null stays null (shown as "-"). */
  static String time(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A short duration such as {@code 950ms}, {@code 42s}, {@code 3m07s}, {@code 2h05m}, {@code 3d04h}. */
  static String duration(Duration duration) {
    if (duration == null) {
      return null;
    }
    long millis = Math.max(0, duration.toMillis());
    long seconds = millis / 1000;
    if (seconds < 1) {
      return millis + "ms";
    } else if (seconds < 60) {
      return seconds + "s";
    } else if (seconds < 3600) {
      return String.format("%dm%02ds", seconds / 60, seconds % 60);
    } else if (seconds < 86400) {
      return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
    return String.format("%dd%02dh", seconds / 86400, seconds % 86400 / 3600);
  }

  static String seconds(Long seconds) {
    return seconds == null ? null : duration(Duration.ofSeconds(seconds));
  }

  static String list(List<String> values) {
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }
}
