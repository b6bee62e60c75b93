package io.jobcluster.node.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import java.io.UncheckedIOException;

/**
 * The node's one JSON mapper: strict on input (unknown fields, wrong types, trailing data, duplicate
 * keys, deep nesting and huge numbers are refused), ISO-8601 timestamps on output. The gateway's
 * bodies and the built-in handlers' payloads are read through it.
 */
public final class NodeJson {
  private static final int MAX_NESTING = 64;
  private static final int MAX_NUMBER_LENGTH = 100;

  private static final JsonMapper MAPPER = JsonMapper.builder()
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

  private NodeJson() {}

  /**
   * The shared mapper. It is configured here only: a caller that needs a variant derives one
   * ({@code reader().without(...)}) rather than reconfigure what every other caller uses.
   */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /** JSON text of a value. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
