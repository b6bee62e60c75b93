package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.node.http.HttpTestClient.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI document in the repository, as a running node serves it, against the node's own
 * endpoint list: every route is described, every described route exists and reaches its endpoint.
 */
class OpenApiDocumentTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String ADMIN_KEY = "admin-key-for-openapi-0123456789abcdef";
  private static final Path SOURCE = Path.of("src/main/resources/openapi.json");
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}]+)}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JobclusterNode node;
  private static HttpTestClient http;
  private static JsonNode document;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\njobcluster.worker-queues = \"default:1\"\n");
    http = new HttpTestClient(node);
    document = JSON.readTree(Files.readAllBytes(SOURCE));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** A described operation: its method and path template, and its description. */
  private record Operation(String method, String path, JsonNode pathItem, JsonNode description) {
    String name() {
      return method.toUpperCase() + " " + path;
    }
  }

  private static List<Operation> operations() {
    List<Operation> operations = new ArrayList<>();
    document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(entry -> {
      if (METHODS.contains(entry.getKey())) {
        operations.add(new Operation(entry.getKey(), path.getKey(), path.getValue(), entry.getValue()));
      }
    }));
    return operations;
  }

  @Test
  void servesTheDocumentKeptInTheRepository() throws Exception {
    Answer answer = http.send("GET", "/v1/openapi.json", null, null);

    assertEquals(200, answer.status());
    assertEquals("application/json", answer.contentType());
    JsonNode served = JSON.readTree(answer.bytes());
    assertTrue(served.path("openapi").asText().startsWith("3."), "openapi: " + served.path("openapi"));
    assertArrayEquals(Files.readAllBytes(SOURCE), answer.bytes(), "the node serves the repository's file byte for byte");
    assertEquals(document, served);
  }

  @Test
  void describesExactlyTheRoutesOfTheNode() {
    Set<String> described = operations().stream().map(Operation::name).collect(Collectors.toCollection(TreeSet::new));
    Set<String> served = node.httpEndpoints().stream().map(Endpoint::name).collect(Collectors.toCollection(TreeSet::new));

    Set<String> undocumented = new TreeSet<>(served);
    undocumented.removeAll(described);
    Set<String> missing = new TreeSet<>(described);
    missing.removeAll(served);
    assertTrue(undocumented.isEmpty() && missing.isEmpty(),
        "served but not described: " + undocumented + "; described but not served: " + missing);
    assertEquals(served.size(), node.httpEndpoints().size(), "no endpoint is listed twice");
  }

  @Test
  void everyDescribedOperationReachesItsEndpoint() throws Exception {
    for (Operation operation : operations()) {
      String path = operation.path().replace("{id}", UUID.randomUUID().toString()).replace("{queue}", "default")
          .replace("{keyId}", "0123456789abcdef").replace("{tenant}", "acme");
      assertFalse(path.contains("{"), "no sample value for a parameter of " + operation.name());
      String method = operation.method().toUpperCase();
      // An event stream that never ends is asked to resume from a position it never sent: 400, no stream.
      Answer answer = streams(operation) ? http.send(method, path, ADMIN_KEY, null, "Last-Event-ID", "not-an-event")
          : http.send(method, path, ADMIN_KEY, method.equals("POST") ? "{}" : null);

      String seen = answer.status() + " " + answer.text();
      assertFalse(answer.status() == 405, operation.name() + " is not routed for its method: " + seen);
      assertFalse(isRoutersNotFound(answer), operation.name() + " is not routed: " + seen);
      assertTrue(operation.description().get("responses").has(Integer.toString(answer.status())),
          operation.name() + " answered a status its description does not list: " + seen);
    }
  }

  private static boolean streams(Operation operation) {
    return operation.description().path("responses").path("200").path("content").has("text/event-stream");
  }

  private static boolean isRoutersNotFound(Answer answer) throws Exception {
    if (answer.status() != 404) {
      return false;
    }
    JsonNode body = JSON.readTree(answer.bytes());
    return body.path("error").asText().equals("not_found") && body.path("message").asText().equals("no such path");
  }

  @Test
  void everyOperationIsNamedAnswersAndDeclaresItsParameters() {
    Set<String> operationIds = new HashSet<>();
    for (Operation operation : operations()) {
      String name = operation.name();
      String operationId = operation.description().path("operationId").asText("");
      assertFalse(operationId.isEmpty(), name + " has an operationId");
      assertTrue(operationIds.add(operationId), "operationId " + operationId + " is unique");

      Set<String> codes = new TreeSet<>();
      operation.description().get("responses").fieldNames().forEachRemaining(codes::add);
      assertTrue(codes.stream().anyMatch(code -> code.startsWith("2")), name + " has a 2xx answer: " + codes);
      // Unauthenticated operations (health, metrics, this document) cannot answer 4xx; every other one can.
      if (!isPublic(operation)) {
        assertTrue(codes.stream().anyMatch(code -> code.startsWith("4")), name + " has a 4xx answer: " + codes);
      }

      Set<String> inTemplate = new TreeSet<>();
      Matcher matcher = TEMPLATE_PARAMETER.matcher(operation.path());
      while (matcher.find()) {
        inTemplate.add(matcher.group(1));
      }
      Set<String> declared = new TreeSet<>();
      for (JsonNode parameter : parameters(operation)) {
        if (parameter.path("in").asText().equals("path")) {
          assertTrue(parameter.path("required").asBoolean(), name + ": path parameter " + parameter.path("name") + " is required");
          declared.add(parameter.path("name").asText());
        }
      }
      assertEquals(inTemplate, declared, name + ": the path parameters declared are those of the template");
    }
  }

  @Test
  void theOnlyOperationsWithoutAKeyAreHealthAndTheDocument() {
    assertTrue(document.path("security").size() > 0, "a key is needed unless an operation says otherwise");
    Set<String> open = operations().stream().filter(OpenApiDocumentTest::isPublic).map(Operation::name).collect(Collectors.toSet());
    assertEquals(Set.of("GET /health/live", "GET /health/ready", "GET /v1/openapi.json"), open);
  }

  @Test
  void everyOperationNeedsTheScopeItsEndpointDeclares() {
    Map<String, Optional<Scope>> declared = node.httpEndpoints().stream().collect(Collectors.toMap(Endpoint::name, Endpoint::scope));
    for (Operation operation : operations()) {
      String name = operation.name();
      assertTrue(declared.containsKey(name), name + " is an endpoint of the node");
      Optional<String> expected = declared.get(name).map(Scope::wireName);
      JsonNode required = operation.description().path("x-required-scope");
      assertEquals(expected, required.isMissingNode() ? Optional.empty() : Optional.of(required.asText()), name + ": x-required-scope");
      assertEquals(expected.isEmpty(), isPublic(operation), name + ": public (security: []) exactly when it needs no scope");
      expected.ifPresent(scope -> assertTrue(operation.description().path("description").asText().contains("Scope `" + scope + "`"),
          name + ": the description names scope " + scope));
    }
  }

  @Test
  void everyReferenceResolvesInsideTheDocument() {
    List<String> references = new ArrayList<>();
    collectReferences(document, references);
    assertTrue(references.size() > 50, "the document uses its components: " + references.size());
    for (String reference : references) {
      assertTrue(reference.startsWith("#/"), "only references inside the document: " + reference);
      assertFalse(document.at(reference.substring(1)).isMissingNode(), "the reference " + reference + " resolves");
    }
  }

  private static boolean isPublic(Operation operation) {
    JsonNode security = operation.description().get("security");
    return security != null && security.isEmpty();
  }

  /** Path-item and operation parameters, references resolved. */
  private static List<JsonNode> parameters(Operation operation) {
    List<JsonNode> parameters = new ArrayList<>();
    for (JsonNode owner : List.of(operation.pathItem(), operation.description())) {
      for (JsonNode parameter : owner.path("parameters")) {
        parameters.add(parameter.has("$ref") ? document.at(parameter.get("$ref").asText().substring(1)) : parameter);
      }
    }
    return parameters;
  }

  private static void collectReferences(JsonNode node, List<String> references) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().equals("$ref")) {
          references.add(field.getValue().asText());
        } else {
          collectReferences(field.getValue(), references);
        }
      }
    } else if (node.isArray()) {
      node.forEach(element -> collectReferences(element, references));
    }
  }
}
