package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The body of {@code POST /v1/admin/keys}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IssueKeyRequest(String tenant, List<String> scopes, String description) {}
