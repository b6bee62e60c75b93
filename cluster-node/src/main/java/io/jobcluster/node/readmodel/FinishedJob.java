package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.JobStatus;
import java.time.Instant;

/** A finished job as the read model last saw it; {@code lastSeqNr} is the sequence number of its last event applied. */
public record FinishedJob(String id, String tenant, JobStatus status, Instant finishedAt, long lastSeqNr) {}
