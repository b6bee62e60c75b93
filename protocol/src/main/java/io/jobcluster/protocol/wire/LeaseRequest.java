package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of {@code POST /v1/queues/{queue}/lease}.
 *
 * @param max how many jobs at most (null: 1)
 * @param waitSeconds how long to wait for the first one (null: do not wait)
 * @param types only jobs of these types (null or empty: every type)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeaseRequest(String workerId, Integer max, Integer waitSeconds, List<String> types) {}
