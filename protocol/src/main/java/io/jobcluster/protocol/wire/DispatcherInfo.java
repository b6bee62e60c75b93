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
 */
public record DispatcherInfo(String queue, String node, int ready, int leasing, List<DispatcherPool> pools) implements CborSerializable {
  public DispatcherInfo {
    pools = List.copyOf(pools);
  }
}
