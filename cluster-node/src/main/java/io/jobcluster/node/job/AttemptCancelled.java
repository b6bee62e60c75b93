package io.jobcluster.node.job;

import io.jobcluster.protocol.CborSerializable;

/** Sent to the worker running an attempt when its job is cancelled: stop the handler. */
public record AttemptCancelled(String jobId, String leaseId) implements CborSerializable {}
