package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One item's outcome in a batch submission, in the order submitted: the HTTP status it would have
 * had alone (201, 200, 400, 409, ...), and the job when it was accepted or else the error.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchItemJson(int index, int status, JobJson job, ApiError error) {}
