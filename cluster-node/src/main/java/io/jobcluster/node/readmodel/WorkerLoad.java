package io.jobcluster.node.readmodel;

/** How many RUNNING jobs of one queue a worker holds, as the read model last saw them. */
public record WorkerLoad(String workerId, String queue, int running) {}
