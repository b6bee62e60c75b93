package io.jobcluster.protocol.wire;

import io.jobcluster.protocol.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * The delivery of one finishing transition of a job to its webhook ({@code GET /v1/jobs/{id}/webhook-deliveries}).
 *
 * @param seqNr the transition's sequence number (its {@code seqNr} in the history)
 * @param jobStatus the status the job reached
 * @param state {@code pending} (due at {@code nextAttemptAt}), {@code delivered} (a 2xx answer) or
 *     {@code dead} (no 2xx answer within the allowed attempts)
 * @param log every attempt, oldest first
 */
public record WebhookDelivery(String jobId, long seqNr, JobStatus jobStatus, String url, String state, int attempts, Instant nextAttemptAt,
    Instant createdAt, Instant updatedAt, List<WebhookAttempt> log) {}
