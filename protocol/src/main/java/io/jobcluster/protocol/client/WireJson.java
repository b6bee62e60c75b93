package io.jobcluster.protocol.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.wire.JobJson;
import io.jobcluster.protocol.wire.JsonText;
import java.time.Instant;
import java.util.List;

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

  record LeasedJson(String jobId, int attempt, String leaseId, String type, JsonNode payload, Instant leaseExpiresAt) {
    LeasedJob toLeased() {
      return new LeasedJob(jobId, attempt, leaseId, type, text(payload), leaseExpiresAt);
    }
  }

  record BatchItemJson(int index, int status, JobJson job, ApiError error) {
    BatchItem toItem() {
      return new BatchItem(index, status, job == null ? null : job.toView(), error);
    }
  }

  /** The {@code {"items": [...]}} envelope of every list answer. */
  record Items<T>(List<T> items) {
    List<T> list() {
      return items == null ? List.of() : List.copyOf(items);
    }
  }

  /** A submission body: the request with its payload text as a JSON value. */
  static ObjectNode jobBody(JobRequest request) {
    ObjectNode body = MAPPER.valueToTree(request);
    if (request.payload() != null) {
      body.set("payload", tree(request.payload(), "payload"));
    }
    return body;
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
