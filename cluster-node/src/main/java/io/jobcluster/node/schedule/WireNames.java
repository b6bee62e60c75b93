package io.jobcluster.node.schedule;

import io.jobcluster.protocol.InvalidRequestException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Enum constants written in lower case on the wire ({@code fire_once}, {@code queue_one}). */
final class WireNames {
  private WireNames() {}

  static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
        return constant;
      }
    }
    throw new InvalidRequestException(field, "must be one of " + Arrays.stream(type.getEnumConstants())
        .map(constant -> constant.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
  }
}
