package io.jobcluster.node.worker.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobcluster.node.json.NodeJson;
import java.util.ArrayList;
import java.util.List;

/**
 * What job views show of a payload: an {@code http} job's header values (credentials such as
 * {@code Authorization} travel there) are shown as {@value #MASK}, names kept; other payloads as
 * submitted. Workers still get the payload whole.
 */
public final class PayloadRedaction {

  public static final String MASK = "***";

  private PayloadRedaction() {}

  /** {@code payload} (JSON text, may be null) of a job of {@code type}, as a view shows it. */
  public static String forView(String type, String payload) {
    if (!HttpHandler.TYPE.equals(type) || payload == null) {
      return payload;
    }
    JsonNode tree;
    try {
      tree = NodeJson.mapper().readTree(payload);
    } catch (JsonProcessingException e) {
      // Not JSON: the handler refuses it without a call; nothing in it reached a header.
      return payload;
    }
    if (tree instanceof ObjectNode object && object.get("headers") instanceof ObjectNode headers) {
      List<String> names = new ArrayList<>();
      headers.fieldNames().forEachRemaining(names::add);
      names.forEach(name -> headers.put(name, MASK));
      return NodeJson.write(object);
    }
    return payload;
  }
}
