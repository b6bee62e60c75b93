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

  ReadyJob pollFirst() {
    ReadyJob first = ordered.pollFirst();
    if (first != null) {
      byId.remove(first.jobId());
    }
    return first;
  }

  boolean isEmpty() {
    return ordered.isEmpty();
  }

  int size() {
    return ordered.size();
  }
}
