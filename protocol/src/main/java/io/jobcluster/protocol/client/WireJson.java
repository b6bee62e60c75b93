package io.jobcluster.protocol.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.wire.BatchItemJson;
import io.jobcluster.protocol.wire.JsonText;
import io.jobcluster.protocol.wire.LeasedJobJson;

/**
 * The client's JSON: the API's wire shapes and their conversion to protocol types. On the wire
 * payload, result and progress are JSON values; {@link JobView} and {@link JobRequest} hold them as
 * JSON text. Reading is lenient about fields it does not know, so newer servers keep working.
 */
final class WireJson {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  private WireJson() {}

  static LeasedJob leased(LeasedJobJson json) {
    return new LeasedJob(json.jobId(), json.attempt(), json.leaseId(), json.type(), text(json.payload()), json.leaseExpiresAt());
  }

  static BatchItem batchItem(BatchItemJson json) {
    return new BatchItem(json.index(), json.status(), json.job() == null ? null : json.job().toView(), json.error());
  }

  /** A submission body: the request, once its payload is known to be one JSON value. */
  static JobRequest jobBody(JobRequest request) {
    treeOrNull(request.payload(), "payload");
    return request;
  }

  /** {@link #tree} of text that may be null. */
  static JsonNode treeOrNull(String json, String what) {
    return json == null ? null : tree(json, what);
  }

  /**
   * JSON text as a tree.
   *
   * @throws IllegalArgumentException naming {@code what} when the text is not one JSON value
   */
  static JsonNode tree(String json, String what) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException(what + " must be JSON text, got an empty string");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A JSON value back as text; absent and JSON null both become null. */
  private static String text(JsonNode node) {
    return JsonText.text(node);
  }
}
