package io.jobcluster.node.schedule;

import java.util.Locale;

/** What a fire does while the schedule's previous run has not finished (its job is not terminal). */
public enum OverlapPolicy {
  /** Fire anyway: runs may overlap. */
  ALLOW,
  /** Do not fire; the fire time is skipped. */
  SKIP,
  /** Keep at most one fire waiting and submit it when the previous run finishes; further ones are skipped. */
  QUEUE_ONE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The policy named {@code value} on the wire; null means the default, {@link #ALLOW}. */
  public static OverlapPolicy parse(String value) {
    return value == null ? ALLOW : WireNames.parse(OverlapPolicy.class, "overlap", value);
  }
}
