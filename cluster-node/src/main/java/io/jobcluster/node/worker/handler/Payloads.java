package io.jobcluster.node.worker.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads job payloads (JSON text) into values, with one set of error messages for every handler.
 * A JSON {@code null} counts as absent. Every problem is an {@link InvalidPayloadException}.
 */
public final class Payloads {

  // Strict on purpose: a duplicated key or trailing text means the submitter meant something else.
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Payloads() {}

  /** The payload as a JSON object; no payload (null or blank) is an empty object. */
  public static ObjectNode object(String payload) {
    if (payload == null || payload.isBlank()) {
      return MAPPER.createObjectNode();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new InvalidPayloadException("payload is not valid JSON");
    }
    if (!(node instanceof ObjectNode object)) {
      throw new InvalidPayloadException("payload must be a JSON object");
    }
    return object;
  }

  /** The field's value, empty when it is missing or JSON null. */
  public static Optional<JsonNode> field(ObjectNode payload, String field) {
    JsonNode value = payload.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  public static long requiredLong(ObjectNode payload, String field, long min, long max) {
    return optionalLong(payload, field, min, max)
        .orElseThrow(() -> invalid(field, "is required"));
  }

  /** An integral number within [min, max]; {@code 5.0} and {@code "5"} are not integers. */
  public static OptionalLong optionalLong(ObjectNode payload, String field, long min, long max) {
    Optional<JsonNode> value = field(payload, field);
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    JsonNode node = value.get();
    if (!node.isIntegralNumber()) {
      throw invalid(field, "must be an integer");
    }
    if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
      throw invalid(field, "must be between " + min + " and " + max);
    }
    return OptionalLong.of(node.longValue());
  }

  public static Optional<Boolean> optionalBoolean(ObjectNode payload, String field) {
    return field(payload, field).map(node -> {
      if (!node.isBoolean()) {
        throw invalid(field, "must be true or false");
      }
      return node.booleanValue();
    });
  }

  public static Optional<String> optionalText(ObjectNode payload, String field) {
    return field(payload, field).map(node -> {
      if (!node.isTextual()) {
        throw invalid(field, "must be a string");
      }
      return node.textValue();
    });
  }

  public static String requiredText(ObjectNode payload, String field) {
    return optionalText(payload, field).orElseThrow(() -> invalid(field, "is required"));
  }

  /** A new, empty object to build a result or progress document with. */
  public static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  /** JSON text of a node. */
  public static String toJson(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // A tree built in memory always serializes; reaching this is a bug, not a bad payload.
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** "payload field 'name' problem", the one wording every handler uses. */
  public static InvalidPayloadException invalid(String field, String problem) {
    return new InvalidPayloadException("payload field '" + field + "' " + problem);
  }
}
