package io.jobcluster.protocol.wire;

import java.time.Instant;

/**
 * One attempt of a webhook delivery.
 *
 * @param httpStatus the answer's status; null when no answer came ({@code error} says why)
 * @param error why the attempt failed; null for a 2xx answer
 */
public record WebhookAttempt(int attempt, Instant at, long durationMs, Integer httpStatus, String error) {}
