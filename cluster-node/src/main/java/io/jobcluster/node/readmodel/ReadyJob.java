package io.jobcluster.node.readmodel;

import java.time.Instant;

/** A PENDING job as a dispatcher orders it: priority descending, then the time it became ready. */
public record ReadyJob(String jobId, String tenant, int priority, Instant readyAt) {}
