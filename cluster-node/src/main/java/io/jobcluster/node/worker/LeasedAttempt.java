package io.jobcluster.node.worker;

import io.jobcluster.protocol.CborSerializable;
import io.jobcluster.protocol.JobId;
import io.jobcluster.protocol.LeaseId;
import java.time.Instant;

/**
 * An attempt handed to a worker pool: the job's lease is already persisted when this is sent.
 *
 * @param workerId the worker the lease names ({@code host:port#uid/queue} for a node's pool)
 * @param tenant the job's tenant, for the per-tenant switches of job types; null when sent by a node
 *     that predates the field
 */
public record LeasedAttempt(JobId jobId, LeaseId leaseId, int attempt, String workerId, String queue, String type, String payload,
    Instant leaseExpiresAt, String tenant)
    implements CborSerializable {}
