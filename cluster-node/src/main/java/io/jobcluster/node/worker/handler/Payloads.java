package io.jobcluster.node.worker.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobcluster.node.json.NodeJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads a job payload (JSON text) into its record through the node's JSON mapper, with one set of
 * error messages for every handler: "payload field 'name' problem". No payload is an empty object,
 * a JSON {@code null} counts as absent, fields the record does not name are ignored. Every problem
 * is an {@link InvalidPayloadException}.
 */
public final class Payloads {

  // Unknown fields are ignored, as handlers always did: only the mapper's strictness on them differs.
  private static final ObjectReader READER =
      NodeJson.mapper().reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Payloads() {}

  /**
   * The payload bound to {@code type}, a record whose compact constructor holds the rules a value
   * must meet. Integers are {@link BigInteger} components: any JSON integer binds, and the record's
   * {@link #within} names the bounds, however far off the value is.
   */
  public static <T extends Record> T read(String payload, Class<T> type) {
    try {
      return READER.forType(type).readValue(object(payload));
    } catch (ValueInstantiationException e) {
      throw broken(type, e);
    } catch (JsonMappingException e) {
      throw wrongType(type, e);
    } catch (IOException e) {
      // Read from a tree in memory: no input left to fail on.
      throw new UncheckedIOException(e);
    }
  }

  /** The value; a missing one (absent or JSON null) is a problem of the payload. */
  public static <T> T required(String field, T value) {
    if (value == null) {
      throw invalid(field, "is required");
    }
    return value;
  }

  /** The integer when within [min, max]. */
  public static BigInteger within(String field, BigInteger value, long min, long max) {
    if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw invalid(field, "must be between " + min + " and " + max);
    }
    return value;
  }

  /** "payload field 'name' problem", the one wording every handler uses. */
  public static InvalidPayloadException invalid(String field, String problem) {
    return new InvalidPayloadException("payload field '" + field + "' " + problem);
  }

  /** The payload as a JSON object; no payload (null or blank) is an empty object. */
  private static ObjectNode object(String payload) {
    if (payload == null || payload.isBlank()) {
      return NodeJson.mapper().createObjectNode();
    }
    JsonNode node;
    try {
      // Strict on purpose: a duplicated key or trailing text means the submitter meant something else.
      node = NodeJson.mapper().readTree(payload);
    } catch (JsonProcessingException e) {
      throw new InvalidPayloadException("payload is not valid JSON");
    }
    if (!(node instanceof ObjectNode object)) {
      throw new InvalidPayloadException("payload must be a JSON object");
    }
    return object;
  }

  /** A rule of the record failed: its own {@link InvalidPayloadException}, or a bug. */
  private static RuntimeException broken(Class<?> type, ValueInstantiationException e) {
    if (e.getCause() instanceof InvalidPayloadException invalid) {
      return invalid;
    }
    return new IllegalStateException("cannot build " + type.getSimpleName(), e);
  }

  /**
   * A value of the wrong JSON type, in the wording of the type the record declares for the field;
   * a map entry's key is named too.
   */
  private static InvalidPayloadException wrongType(Class<? extends Record> type, JsonMappingException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    String field = path.get(0).getFieldName();
    String entry = path.size() > 1 && path.get(1).getFieldName() != null
        ? " ('" + path.get(1).getFieldName() + "' is not)"
        : "";
    Type declared = Arrays.stream(type.getRecordComponents())
        .filter(component -> component.getName().equals(field))
        .findFirst()
        .map(RecordComponent::getGenericType)
        .orElseThrow(() -> new IllegalStateException(type.getSimpleName() + " has no component " + field, e));
    return invalid(field, expectation(declared) + entry);
  }

  private static String expectation(Type declared) {
    if (declared == BigInteger.class) {
      return "must be an integer";
    }
    if (declared == Boolean.class) {
      return "must be true or false";
    }
    if (declared == String.class) {
      return "must be a string";
    }
    if (declared instanceof ParameterizedType map && map.getRawType() == Map.class
        && map.getActualTypeArguments()[1] == String.class) {
      return "must be an object of strings";
    }
    return "has the wrong type";
  }
}
