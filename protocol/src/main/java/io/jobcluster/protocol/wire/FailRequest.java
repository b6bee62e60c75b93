package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of {@code POST /v1/jobs/{id}/fail}; {@code retryable} null counts as true. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FailRequest(String leaseId, String error, Boolean retryable) {}
