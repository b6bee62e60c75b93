package io.jobcluster.protocol.wire;

import io.jobcluster.protocol.CborSerializable;
import java.util.List;

/**
 * One worker pool as a queue's dispatcher sees it.
 *
 * @param freeSlots how many more jobs the pool asked for
 * @param leases jobs the dispatcher handed to the pool that are not finished yet
 * @param leaving whether the pool takes no more work (draining)
 * @param types the job types the pool takes, sorted; null: every type
 */
public record DispatcherPool(String workerId, String node, int freeSlots, int leases, boolean leaving, List<String> types)
    implements CborSerializable {
  public DispatcherPool {
    types = types == null ? null : List.copyOf(types);
  }
}
