package io.jobcluster.node.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.wire.JsonText;
import java.io.UncheckedIOException;
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
  private static final int MAX_NESTING = 64;
  private static final int MAX_NUMBER_LENGTH = 100;

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .addModule(new ParameterNamesModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      // A number or boolean where text belongs is the wrong type, not text to make of it.
      .withCoercionConfig(LogicalType.Textual, config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(MAX_NESTING).maxNumberLength(MAX_NUMBER_LENGTH).build());
  }

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
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
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
