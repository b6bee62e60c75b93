package io.jobcluster.node.auth;

import io.jobcluster.protocol.InvalidRequestException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What an API key may do. Wire names (API and the {@code api_keys.scopes} column) are lower case. */
public enum Scope {
  SUBMIT,
  READ,
  WORK,
  ADMIN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The scope called {@code wireName}.
   *
   * @throws InvalidRequestException naming the field {@code scopes} for an unknown name
   */
  public static Scope fromWire(String wireName) {
    for (Scope scope : values()) {
      if (scope.wireName().equals(wireName)) {
        return scope;
      }
    }
    throw new InvalidRequestException("scopes", "unknown scope '" + wireName + "'");
  }

  /** Scopes as the column keeps them: wire names, comma-separated, in declaration order. */
  static String toColumn(Set<Scope> scopes) {
    return EnumSet.copyOf(scopes).stream().map(Scope::wireName).collect(Collectors.joining(","));
  }

  static Set<Scope> fromColumn(String column) {
    EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
    Arrays.stream(column.split(",")).map(String::strip).filter(name -> !name.isEmpty()).map(Scope::fromWire).forEach(scopes::add);
    return Set.copyOf(scopes);
  }
}
