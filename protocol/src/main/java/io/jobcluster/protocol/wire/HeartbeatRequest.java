package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** The body of {@code POST /v1/jobs/{id}/heartbeat}; {@code progress} is any JSON value, or null. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeartbeatRequest(String leaseId, JsonNode progress) {}
