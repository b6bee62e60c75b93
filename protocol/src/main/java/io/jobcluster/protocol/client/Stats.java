package io.jobcluster.protocol.client;

import io.jobcluster.protocol.JobStatus;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Job counts of the key's tenant (every tenant for an admin key).
 *
 * @param successRate COMPLETED against COMPLETED plus FAILED; null while neither happened
 */
public record Stats(long total, Map<JobStatus, Long> byStatus, Double successRate) {
  public Stats {
    // A status this client does not know is read as a null key: left out.
    byStatus = byStatus == null ? Map.of() : byStatus.entrySet().stream()
        .filter(entry -> entry.getKey() != null && entry.getValue() != null)
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** The number of jobs in {@code status}. */
  public long count(JobStatus status) {
    return byStatus.getOrDefault(status, 0L);
  }
}
