package io.jobcluster.node.http;

import io.jobcluster.protocol.InvalidRequestException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far back {@code GET /v1/stats} times finished jobs: {@code ?window=} as a whole number of
 * seconds, minutes, hours or days ({@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}), up to 7 days.
 *
 * @param text the window as asked for, echoed in the answer
 */
record StatsWindow(String text, Duration length) {
  static final StatsWindow DEFAULT = new StatsWindow("1h", Duration.ofHours(1));
  static final Duration MAX = Duration.ofDays(7);

  private static final Pattern FORMAT = Pattern.compile("([1-9][0-9]{0,6})([smhd])");

  /** The window {@code text} names; the default when it is null. */
  static StatsWindow parse(String text) {
    if (text == null) {
      return DEFAULT;
    }
    Matcher matcher = FORMAT.matcher(text);
    if (!matcher.matches()) {
      throw invalid();
    }
    long amount = Long.parseLong(matcher.group(1));
    Duration length = switch (matcher.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
    if (length.compareTo(MAX) > 0) {
      throw invalid();
    }
    return new StatsWindow(text, length);
  }

  private static InvalidRequestException invalid() {
    return new InvalidRequestException("window", "must be a whole number of s, m, h or d (like 15m, 1h, 24h), at most 7d");
  }
}
