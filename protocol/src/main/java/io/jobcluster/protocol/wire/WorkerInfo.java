package io.jobcluster.protocol.wire;

import java.util.List;

/**
 * A registered worker pool as it reports itself.
 *
 * @param types the job types it takes, sorted; null when not known (an external worker names its types per lease)
 */
public record WorkerInfo(String id, String node, List<String> queues, int capacity, int inFlight, boolean draining, List<String> types) {
  public WorkerInfo {
    types = types == null ? null : List.copyOf(types);
  }
}
