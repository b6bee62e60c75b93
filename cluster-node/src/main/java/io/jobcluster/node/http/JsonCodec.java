package io.jobcluster.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.jobcluster.node.json.NodeJson;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.wire.JsonText;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The gateway's JSON: strict on input (unknown fields, wrong types, trailing data, deep nesting and
 * huge numbers are refused with a message naming the field), ISO-8601 timestamps on output.
 */
public final class JsonCodec {
  private static final ObjectMapper MAPPER = NodeJson.mapper();

  private JsonCodec() {}

  /**
   * JSON text is UTF-8: the body's bytes as text, or empty when they are not valid UTF-8 (a lenient
   * decoder would turn them into replacement characters and accept them).
   */
  static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads {@code text} as {@code type}.
   *
   * @throws InvalidRequestException naming the offending field (or {@code body})
   */
  public static <T> T read(String text, Class<T> type) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("body", "a JSON object is required");
    }
    return strictly(() -> MAPPER.readValue(text, type));
  }

  /** Converts a part of an already parsed body with the same strictness as {@link #read}. */
  public static <T> T convert(JsonNode node, Class<T> type) {
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException("body", "a JSON object is required");
    }
    return strictly(() -> MAPPER.treeToValue(node, type));
  }

  @FunctionalInterface
  private interface Reading<T> {
    T read() throws JsonProcessingException;
  }

  private static <T> T strictly(Reading<T> reading) {
    try {
      T value = reading.read();
      if (value == null) {
        throw new InvalidRequestException("body", "a JSON object is required");
      }
      return value;
    } catch (ValueInstantiationException e) {
      if (e.getCause() instanceof InvalidRequestException invalid) {
        throw invalid;
      }
      throw new InvalidRequestException(field(e), "is not valid");
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidRequestException(field(e), "is not a known field");
    } catch (JsonMappingException e) {
      throw new InvalidRequestException(field(e), "has the wrong type or shape");
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("body", "is not valid JSON (" + e.getOriginalMessage() + ")");
    }
  }

  public static String write(Object value) {
    return NodeJson.write(value);
  }

  /** JSON text kept by the entity (payload, result, progress) back as a tree; null stays null. */
  static JsonNode tree(String json) {
    return JsonText.tree(json);
  }

  private static String field(JsonMappingException e) {
    String path = e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
    return path.isEmpty() ? "body" : path;
  }
}
