package io.jobcluster.node.retention;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a finished job is kept, written as a whole number and a unit: {@code 30s}, {@code 15m},
 * {@code 12h}, {@code 7d}. Stricter than HOCON's durations on purpose: a retention that deletes
 * data is better refused at start than read as milliseconds ({@code 7}) or some other unit.
 */
public final class RetentionPeriod {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})([smhd])");

  private RetentionPeriod() {}

  /** @throws IllegalArgumentException naming {@code setting} and the accepted form when {@code text} is not a period */
  public static Duration parse(String setting, String text) {
    Matcher matcher = FORMAT.matcher(text == null ? "" : text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(setting + " must be a whole number followed by s, m, h or d (such as 30s, 12h, 7d), not '"
          + text + "'");
    }
    long amount = Long.parseLong(matcher.group(1));
    Duration period = switch (matcher.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
    if (period.isZero()) {
      throw new IllegalArgumentException(setting + " must be longer than zero, not '" + text + "'");
    }
    return period;
  }
}
