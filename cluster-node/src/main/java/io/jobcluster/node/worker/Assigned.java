package io.jobcluster.node.worker;

import io.jobcluster.protocol.CborSerializable;

/**
 * The one message a dispatcher sends to a pool: an attempt whose lease the job entity has
 * persisted, from dispatcher incarnation {@code epoch}. In-cluster pools and external lease
 * windows both take it.
 */
public record Assigned(LeasedAttempt job, String epoch) implements WorkerPool.Command, ExternalLease.Command, CborSerializable {}
