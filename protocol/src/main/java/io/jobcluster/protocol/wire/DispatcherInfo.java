package io.jobcluster.protocol.wire;

import io.jobcluster.protocol.CborSerializable;
import java.util.List;

/**
 * What one queue's dispatcher holds right now: the operator's view of why jobs do or do not move.
 * The dispatcher's own reply, so it also crosses nodes (CBOR).
 *
 * @param node the node the dispatcher runs on ({@code host:port#incarnation})
 * @param ready jobs known to be ready and not yet handed out
 * @param leasing jobs handed to a pool whose lease the job entity has not confirmed yet
 * @param pools the worker pools that asked this dispatcher for work
 * @param routedTypes the job types that some pool takes or an external lease asked for in the last
 *     minute, sorted; null when one of them takes every type
 * @param unroutable ready jobs whose type is not among {@code routedTypes}: they wait for a worker of their type
 */
public record DispatcherInfo(String queue, String node, int ready, int leasing, List<DispatcherPool> pools, List<String> routedTypes,
    int unroutable) implements CborSerializable {
  public DispatcherInfo {
    pools = List.copyOf(pools);
    routedTypes = routedTypes == null ? null : List.copyOf(routedTypes);
  }
}
