package io.jobcluster.protocol.client;

import io.jobcluster.protocol.JobStatus;

/**
 * An error as the API answers it: {@code {"error": code, "message": text, ...details}}.
 *
 * @param field the request field at fault, for {@code invalid_request}; else null
 * @param from and {@code to}: the refused transition, for {@code invalid_transition}; else null
 */
public record ApiError(String error, String message, String field, JobStatus from, JobStatus to) {}
