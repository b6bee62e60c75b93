package io.jobcluster.protocol.wire;

/**
 * The jobs of one queue and type that finished in a window: how many ended in each terminal
 * status, and how long they waited and ran.
 *
 * @param finished every job of the group that finished in the window, started or not
 * @param successRate COMPLETED against COMPLETED plus FAILED; null when neither happened
 * @param waitMs from when the job could first run (the later of its creation and its runAt) to the
 *     start of its last attempt; null when no job of the group started
 * @param runMs from the start of the last attempt to the finish; null when no job of the group started
 */
public record FinishedTimings(String queue, String type, long finished, long completed, long failed, long cancelled, long expired,
    Double successRate, Millis waitMs, Millis runMs) {

  /** A spread of durations in whole milliseconds (percentiles interpolate, as {@code PERCENTILE_CONT} does). */
  public record Millis(long avg, long p50, long p95, long max) {}
}
