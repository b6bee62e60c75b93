package io.jobcluster.node.readmodel;

/** A RUNNING job as the read model last saw it: its tenant, and which node's worker holds its lease (null: not known). */
public record RunningAttempt(String jobId, String tenant, String node) {}
