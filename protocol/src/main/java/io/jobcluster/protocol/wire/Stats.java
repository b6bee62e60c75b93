package io.jobcluster.protocol.wire;

import io.jobcluster.protocol.JobStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Job counts of the key's tenant (every tenant for an admin key), and the timings of the jobs that
 * finished in {@code window}.
 *
 * @param byStatus counts in status order; a status a client does not know (read as null) is left out
 * @param successRate COMPLETED against COMPLETED plus FAILED; null while neither happened
 * @param window the window {@code timings} cover, as asked ({@code 1h} unless {@code ?window=} said otherwise)
 * @param timings one entry per queue and type with jobs that finished in the window
 */
public record Stats(long total, Map<JobStatus, Long> byStatus, Double successRate, String window, List<FinishedTimings> timings) {
  public Stats {
    Map<JobStatus, Long> known = new EnumMap<>(JobStatus.class);
    if (byStatus != null) {
      byStatus.forEach((status, count) -> {
        if (status != null && count != null) {
          known.put(status, count);
        }
      });
    }
    byStatus = Collections.unmodifiableMap(known);
    timings = timings == null ? List.of() : List.copyOf(timings);
  }

  /** The number of jobs in {@code status}. */
  public long count(JobStatus status) {
    return byStatus.getOrDefault(status, 0L);
  }

  /** Of the jobs that ended by running: COMPLETED against FAILED (dead letters); null when none did. */
  public static Double successRate(long completed, long failed) {
    return completed + failed == 0 ? null : (double) completed / (completed + failed);
  }
}
