package io.jobcluster.protocol.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Payloads, results and progress are JSON values on the wire and JSON text inside the system
 * ({@link io.jobcluster.protocol.JobView}, {@link io.jobcluster.protocol.JobRequest}): the two
 * conversions, the same for the server and the client.
 */
public final class JsonText {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonText() {}

  /** JSON text as a tree; null stays null, and text that is not JSON comes back as a string value rather than fail. */
  public static JsonNode tree(String json) {
    if (json == null) {
      return null;
    }
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return MAPPER.getNodeFactory().textNode(json);
    }
  }

  /** A tree as JSON text; null, JSON null and a missing node are null. */
  public static String text(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node.toString();
  }
}
