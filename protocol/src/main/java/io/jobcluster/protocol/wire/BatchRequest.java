package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The body of {@code POST /v1/jobs/batch}. Each item is kept as JSON so that a bad one is refused
 * alone, as a {@link io.jobcluster.protocol.JobRequest} would be on its own.
 */
public record BatchRequest(List<JsonNode> jobs) {}
