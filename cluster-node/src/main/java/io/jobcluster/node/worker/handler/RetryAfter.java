package io.jobcluster.node.worker.handler;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A {@code Retry-After} header (RFC 9110 §10.2.3) as the instant the next attempt may start: either
 * delta-seconds ({@code 120}) or an HTTP-date ({@code Wed, 21 Oct 2015 07:28:00 GMT}). Capped at a
 * maximum, so a server cannot park a job for days; anything else (garbage, a negative number, a date
 * in the past) says nothing, and the job's own backoff applies.
 */
final class RetryAfter {

  private RetryAfter() {}

  static Optional<Instant> parse(String value, Instant now, Duration max) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String text = value.trim();
    Duration delay;
    if (text.chars().allMatch(Character::isDigit)) {
      // More digits than a long holds is still "a long time": the cap applies.
      delay = text.length() > 12 ? max : Duration.ofSeconds(Long.parseLong(text));
    } else {
      try {
        delay = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    if (delay.isNegative() || delay.isZero()) {
      return Optional.empty();
    }
    return Optional.of(now.plus(delay.compareTo(max) > 0 ? max : delay));
  }
}
