package io.jobcluster.node.readmodel;

import java.time.Instant;

/** A PENDING job's row in the read model, as a dispatcher reconciles with it (it orders them as {@code dispatch.ReadyJob}). */
public record PendingJobRow(String jobId, String tenant, String type, int priority, Instant readyAt) {}
