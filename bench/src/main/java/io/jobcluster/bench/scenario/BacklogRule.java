package io.jobcluster.bench.scenario;

import io.jobcluster.bench.metrics.NodeCounts;
import java.time.Duration;
import java.util.List;

/**
 * Whether a fixed submission rate was sustained: the backlog (accepted − completed) did not grow
 * over the second half of the load by more than {@link #TOLERANCE} worth of submissions, every
 * submission was answered and accepted, and the backlog drained within {@link #DRAIN} of the load's end.
 */
record BacklogRule() {
  static final Duration TOLERANCE = Duration.ofSeconds(2);
  static final Duration DRAIN = Duration.ofSeconds(5);

  /**
   * @param readings the node counters over the run, less the counts before it
   * @param drainedAtEpochMillis when the last accepted job completed, 0 if it did not within the drain window
   */
  record Verdict(boolean held, double growth, double allowed, double drainSeconds, String reason) {}

  static Verdict judge(List<NodeCounts> readings, long startEpochMillis, long endEpochMillis, double rate, long sent, long accepted,
                       long drainedAtEpochMillis) {
    double allowed = rate * TOLERANCE.toSeconds();
    long middle = (startEpochMillis + endEpochMillis) / 2;
    double growth = backlog(readings, endEpochMillis) - backlog(readings, middle);
    double drain = drainedAtEpochMillis == 0 ? Double.NaN : Math.max(0, drainedAtEpochMillis - endEpochMillis) / 1000.0;
    String reason;
    if (accepted < sent) {
      reason = (sent - accepted) + " of " + sent + " submissions not accepted";
    } else if (growth > allowed) {
      reason = "backlog grew by " + Math.round(growth) + " over the second half (allowed " + Math.round(allowed) + ")";
    } else if (drainedAtEpochMillis == 0 || drain > DRAIN.toSeconds()) {
      reason = "backlog not drained within " + DRAIN.toSeconds() + " s after the load";
    } else {
      reason = "held";
    }
    return new Verdict(reason.equals("held"), growth, allowed, drain, reason);
  }

  private static double backlog(List<NodeCounts> readings, long epochMillis) {
    return NodeCounts.at(readings, NodeCounts::submitted, epochMillis) - NodeCounts.at(readings, NodeCounts::completed, epochMillis);
  }
}
