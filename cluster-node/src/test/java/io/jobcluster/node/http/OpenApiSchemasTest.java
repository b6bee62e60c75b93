package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.protocol.BackoffPolicy;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.ApiError;
import io.jobcluster.protocol.wire.BatchItemJson;
import io.jobcluster.protocol.wire.BatchRequest;
import io.jobcluster.protocol.wire.CompleteRequest;
import io.jobcluster.protocol.wire.FailRequest;
import io.jobcluster.protocol.wire.DispatcherInfo;
import io.jobcluster.protocol.wire.DispatcherPool;
import io.jobcluster.protocol.wire.FinishedTimings;
import io.jobcluster.protocol.wire.HeartbeatRequest;
import io.jobcluster.protocol.wire.IssueKeyRequest;
import io.jobcluster.protocol.wire.IssuedKey;
import io.jobcluster.protocol.wire.Items;
import io.jobcluster.protocol.wire.JobJson;
import io.jobcluster.protocol.wire.JobPage;
import io.jobcluster.protocol.wire.JobSummary;
import io.jobcluster.protocol.wire.JobTransition;
import io.jobcluster.protocol.wire.TransitionEvent;
import io.jobcluster.protocol.wire.WebhookAttempt;
import io.jobcluster.protocol.wire.WebhookDelivery;
import io.jobcluster.protocol.wire.WebhookSecret;
import io.jobcluster.protocol.wire.WebhookSettings;
import io.jobcluster.protocol.Webhook;
import io.jobcluster.protocol.wire.KeyInfo;
import io.jobcluster.protocol.wire.LeaseRequest;
import io.jobcluster.protocol.wire.LeasedJobJson;
import io.jobcluster.protocol.wire.QueueInfo;
import io.jobcluster.protocol.wire.Readiness;
import io.jobcluster.protocol.wire.ScheduleJson;
import io.jobcluster.protocol.wire.ScheduleRequest;
import io.jobcluster.protocol.wire.ScheduleRun;
import io.jobcluster.protocol.wire.Stats;
import io.jobcluster.protocol.wire.WorkerInfo;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenAPI document's schemas, field by field, against the wire records of
 * {@code io.jobcluster.protocol.wire} that the gateway writes and reads and the Java client uses:
 * the same property names in the same order, compatible JSON types, and the right required list.
 */
class OpenApiSchemasTest {
  private static JsonNode schemas;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream document = OpenApiSchemasTest.class.getResourceAsStream("/openapi.json")) {
      schemas = new ObjectMapper().readTree(document).path("components").path("schemas");
    }
  }

  /** Schema name, the record it describes. */
  static Stream<Arguments> objectSchemas() {
    return Stream.of(
        Arguments.of("Error", ApiError.class),
        Arguments.of("Backoff", BackoffPolicy.class),
        Arguments.of("JobRequest", JobRequest.class),
        Arguments.of("Job", JobJson.class),
        Arguments.of("BatchRequest", BatchRequest.class),
        Arguments.of("BatchItem", BatchItemJson.class),
        Arguments.of("JobSummary", JobSummary.class),
        Arguments.of("JobPage", JobPage.class),
        Arguments.of("HistoryItem", JobTransition.class),
        Arguments.of("TransitionEvent", TransitionEvent.class),
        Arguments.of("Webhook", Webhook.class),
        Arguments.of("WebhookSecret", WebhookSecret.class),
        Arguments.of("WebhookSettings", WebhookSettings.class),
        Arguments.of("WebhookAttempt", WebhookAttempt.class),
        Arguments.of("WebhookDelivery", WebhookDelivery.class),
        Arguments.of("DurationSpread", FinishedTimings.Millis.class),
        Arguments.of("QueueTypeTimings", FinishedTimings.class),
        Arguments.of("Stats", Stats.class),
        Arguments.of("Queue", QueueInfo.class),
        Arguments.of("Worker", WorkerInfo.class),
        Arguments.of("Dispatcher", DispatcherInfo.class),
        Arguments.of("DispatcherPool", DispatcherPool.class),
        Arguments.of("LeaseRequest", LeaseRequest.class),
        Arguments.of("LeasedJob", LeasedJobJson.class),
        Arguments.of("HeartbeatRequest", HeartbeatRequest.class),
        Arguments.of("CompleteRequest", CompleteRequest.class),
        Arguments.of("FailRequest", FailRequest.class),
        Arguments.of("IssueKeyRequest", IssueKeyRequest.class),
        Arguments.of("IssuedKey", IssuedKey.class),
        Arguments.of("Key", KeyInfo.class),
        Arguments.of("Health", Readiness.class),
        Arguments.of("ScheduleRequest", ScheduleRequest.class),
        Arguments.of("Schedule", ScheduleJson.class),
        Arguments.of("ScheduleRun", ScheduleRun.class));
  }

  /** List answers: the {@link Items} envelope, and the schema of one item. */
  static Stream<Arguments> listSchemas() {
    return Stream.of(
        Arguments.of("BatchResult", "BatchItem"),
        Arguments.of("History", "HistoryItem"),
        Arguments.of("QueueList", "Queue"),
        Arguments.of("WorkerList", "Worker"),
        Arguments.of("LeaseResult", "LeasedJob"),
        Arguments.of("KeyList", "Key"),
        Arguments.of("ScheduleList", "Schedule"),
        Arguments.of("WebhookDeliveryList", "WebhookDelivery"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("objectSchemas")
  void anObjectSchemaHasTheRecordsFieldsInOrderWithTheirTypes(String name, Class<? extends Record> wire) {
    JsonNode schema = schema(name);
    List<String> fields = Arrays.stream(wire.getRecordComponents()).map(RecordComponent::getName).toList();
    assertEquals(fields, names(schema.path("properties")), name + " properties");
    for (RecordComponent component : wire.getRecordComponents()) {
      JsonNode property = schema.path("properties").path(component.getName());
      assertTrue(holdsRawJson(wire, component) || compatible(component.getGenericType(), property),
          name + "." + component.getName() + ": " + property);
    }
  }

  /**
   * Answers whose record writes nulls (no {@link JsonInclude}) always carry every field, so the
   * document requires every field; elsewhere it requires only fields the record has. The health
   * answer is the exception: the document promises only {@code status}, so that probes and
   * load balancers depend on nothing more.
   */
  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("objectSchemas")
  void answersThatWriteEveryFieldRequireEveryField(String name, Class<? extends Record> wire) {
    List<String> fields = Arrays.stream(wire.getRecordComponents()).map(RecordComponent::getName).toList();
    Set<String> required = new TreeSet<>(names(schema(name).path("required")));
    assertTrue(fields.containsAll(required), name + " requires " + required + " of " + fields);
    boolean leavesOutNulls = wire.isAnnotationPresent(JsonInclude.class);
    boolean isRequestBody = name.endsWith("Request") || name.equals("Backoff");
    if (!leavesOutNulls && !isRequestBody && !name.equals("Health")) {
      assertEquals(new TreeSet<>(fields), required, name + " required");
    }
  }

  @ParameterizedTest(name = "{0} lists {1}")
  @MethodSource("listSchemas")
  void aListSchemaIsTheItemsEnvelopeOfItsItemSchema(String name, String item) {
    JsonNode schema = schema(name);
    assertEquals(List.of("items"), names(schema.path("properties")), name);
    assertEquals(List.of("items"), Arrays.stream(Items.class.getRecordComponents()).map(RecordComponent::getName).toList());
    JsonNode items = schema.path("properties").path("items");
    assertEquals("array", items.path("type").asText(), name);
    assertEquals("#/components/schemas/" + item, items.path("items").path("$ref").asText(), name);
  }

  @Test
  void theEnumsAreTheProtocolsEnums() {
    assertEquals(Arrays.stream(JobStatus.values()).map(Enum::name).toList(), names(schema("JobStatus").path("enum")));
    assertEquals(Arrays.stream(Scope.values()).map(Scope::wireName).toList(), names(schema("Scope").path("enum")));
    Set<String> documentedCodes = new TreeSet<>(names(schema("Error").path("properties").path("error").path("enum")));
    List<String> missing = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).filter(code -> !documentedCodes.contains(code)).toList();
    assertEquals(List.of(), missing, "error codes the document does not list");
  }

  @Test
  void everySchemaIsCheckedHere() {
    Set<String> checked = new TreeSet<>(List.of("JobStatus", "Scope"));
    objectSchemas().forEach(arguments -> checked.add((String) arguments.get()[0]));
    listSchemas().forEach(arguments -> checked.add((String) arguments.get()[0]));
    assertEquals(new TreeSet<>(names(schemas)), checked);
  }

  private static JsonNode schema(String name) {
    JsonNode schema = schemas.path(name);
    assertTrue(schema.isObject(), "no schema " + name);
    return schema;
  }

  /** The field names of an object node, or the texts of an array node, in document order. */
  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(element -> names.add(element.asText()));
    } else {
      node.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  /** JSON text inside, any JSON value on the wire (a job's payload). */
  private static boolean holdsRawJson(Class<?> wire, RecordComponent component) {
    try {
      return wire.getDeclaredField(component.getName()).isAnnotationPresent(JsonRawValue.class);
    } catch (NoSuchFieldException e) {
      throw new AssertionError(e);
    }
  }

  /** Whether a property's schema can carry a value of {@code type} as Jackson writes it. */
  private static boolean compatible(Type type, JsonNode property) {
    if (type == JsonNode.class) {
      return true;
    }
    JsonNode reference = property.has("allOf") && property.get("allOf").size() == 1 ? property.get("allOf").get(0) : property;
    if (reference.has("$ref")) {
      JsonNode target = schema(reference.get("$ref").asText().substring("#/components/schemas/".length()));
      if (target.has("enum")) {
        return type == String.class || type instanceof Class<?> c && c.isEnum();
      }
      return type instanceof Class<?> c && c.isRecord() && "object".equals(target.path("type").asText());
    }
    String jsonType = property.path("type").asText();
    if (type instanceof ParameterizedType generic) {
      Class<?> raw = (Class<?>) generic.getRawType();
      if (Collection.class.isAssignableFrom(raw)) {
        return "array".equals(jsonType) && compatible(generic.getActualTypeArguments()[0], property.path("items"));
      }
      return Map.class.isAssignableFrom(raw) && "object".equals(jsonType);
    }
    return switch (((Class<?>) type).getSimpleName()) {
      case "String" -> "string".equals(jsonType);
      case "Instant" -> "string".equals(jsonType) && "date-time".equals(property.path("format").asText());
      case "int", "Integer", "long", "Long" -> "integer".equals(jsonType);
      case "double", "Double" -> "number".equals(jsonType);
      case "boolean", "Boolean" -> "boolean".equals(jsonType);
      default -> false;
    };
  }
}
