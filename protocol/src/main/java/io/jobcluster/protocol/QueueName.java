package io.jobcluster.protocol;

import java.util.regex.Pattern;

/** What a queue may be called: 1 to 64 lower-case letters, digits, {@code _} and {@code -}. */
public final class QueueName {
  public static final Pattern PATTERN = Pattern.compile("[a-z0-9_-]{1,64}");

  private QueueName() {}

  public static boolean isValid(String name) {
    return name != null && PATTERN.matcher(name).matches();
  }

  /**
   * @return {@code name}
   * @throws InvalidRequestException for field {@code queue} when the name is not valid
   */
  public static String require(String name) {
    if (!isValid(name)) {
      throw new InvalidRequestException("queue", "must match " + PATTERN.pattern());
    }
    return name;
  }
}
