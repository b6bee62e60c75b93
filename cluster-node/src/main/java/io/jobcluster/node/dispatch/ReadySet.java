package io.jobcluster.node.dispatch;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/** The dispatcher's waiting jobs in dispatch order, at most once each. Owned by one actor. */
final class ReadySet {
  private final TreeSet<ReadyJob> ordered = new TreeSet<>(ReadyJob.DISPATCH_ORDER);
  private final Map<String, ReadyJob> byId = new HashMap<>();

  /** Adds the job unless it is already waiting; answers whether it was added. */
  boolean add(ReadyJob job) {
    if (byId.containsKey(job.jobId())) {
      return false;
    }
    byId.put(job.jobId(), job);
    ordered.add(job);
    return true;
  }

  boolean contains(String jobId) {
    return byId.containsKey(jobId);
  }

  /**
   * Takes the first job in dispatch order that a pool serving {@code onlyTenant} (null: every
   * tenant) may run. A tenant-bound pool walks past other tenants' jobs: linear in what it skips.
   */
  ReadyJob pollFirst(String onlyTenant) {
    for (ReadyJob job : ordered) {
      if (job.isFor(onlyTenant)) {
        ordered.remove(job);
        byId.remove(job.jobId());
        return job;
      }
    }
    return null;
  }

  boolean isEmpty() {
    return ordered.isEmpty();
  }

  int size() {
    return ordered.size();
  }
}
