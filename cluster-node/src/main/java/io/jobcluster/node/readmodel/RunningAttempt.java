package io.jobcluster.node.readmodel;

/** A RUNNING job as the read model last saw it: which node's worker holds its lease. */
public record RunningAttempt(String jobId, String node) {}
