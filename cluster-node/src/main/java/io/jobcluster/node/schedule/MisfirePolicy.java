package io.jobcluster.node.schedule;

import java.util.Locale;

/** What a schedule does with fire times missed while no node ran it (older than the misfire threshold when it gets to them). */
public enum MisfirePolicy {
  /** One job for all missed fire times (the earliest of them); the rest are skipped. */
  FIRE_ONCE,
  /** A job for every missed fire time, oldest first, up to the cap; the rest are skipped. */
  FIRE_ALL,
  /** No job for a missed fire time. */
  SKIP;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The policy named {@code value} on the wire; null means the default, {@link #FIRE_ONCE}. */
  public static MisfirePolicy parse(String value) {
    return value == null ? FIRE_ONCE : WireNames.parse(MisfirePolicy.class, "misfire", value);
  }
}
