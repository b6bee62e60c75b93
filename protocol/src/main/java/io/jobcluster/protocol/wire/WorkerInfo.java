package io.jobcluster.protocol.wire;

import java.util.List;

/** A registered worker pool as it reports itself. */
public record WorkerInfo(String id, String node, List<String> queues, int capacity, int inFlight, boolean draining) {}
