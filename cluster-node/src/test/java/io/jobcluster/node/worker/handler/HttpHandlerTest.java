package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jobcluster.node.json.NodeJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** The http handler against a real HTTP server on 127.0.0.1, which the handler is allowed to call. */
class HttpHandlerTest {

  private static ActorSystem<Void> system;
  private static HttpHandler handler;
  private static ExecutorService serverThreads;
  private static ScheduledExecutorService scheduler;

  private HttpServer server;
  private String base;
  // Released when a test ends, so a server thread parked by /slow or /stream goes away.
  private final CountDownLatch testOver = new CountDownLatch(1);
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> streamStarted = new CompletableFuture<>();
  private final CompletableFuture<Void> streamAborted = new CompletableFuture<>();

  /** One request as the server saw it; header names lower case, {@code headers} with their first value. */
  record Received(String method, String query, Map<String, List<String>> allHeaders, String body) {
    Map<String, String> headers() {
      return allHeaders.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, header -> header.getValue().get(0)));
    }
  }

  @BeforeAll
  static void startThreads() {
    serverThreads = Executors.newCachedThreadPool();
    scheduler = Executors.newSingleThreadScheduledExecutor();
    system = ActorSystem.create(Behaviors.empty(), "http-handler-test");
    handler = HttpHandler.create(system, HttpJobSettings.defaults().withPolicy(AddressPolicy.allowing(List.of("127.0.0.1"))));
  }

  @AfterAll
  static void stopThreads() {
    serverThreads.shutdownNow();
    scheduler.shutdownNow();
    system.terminate();
  }

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(serverThreads);
    server.createContext("/status/", this::status);
    server.createContext("/echo", this::echo);
    server.createContext("/slow", this::slow);
    server.createContext("/stream", this::stream);
    server.createContext("/big", this::big);
    server.createContext("/latin1", this::latin1);
    server.createContext("/unknown-charset", this::unknownCharset);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    testOver.countDown();
    server.stop(0);
  }

  @Test
  void okCallSucceedsWithStatusAndBody() {
    HandlerResult result = call("{\"url\":\"" + base + "/status/200\"}");

    assertEquals(new HandlerResult.Success("{\"status\":200,\"body\":\"status 200\"}"), result);
  }

  @Test
  void expectedStatusOutsideTheTwoHundredsSucceeds() {
    HandlerResult result = call("""
        {"url": "%s/status/404", "expectStatus": 404}""".formatted(base));

    assertEquals(new HandlerResult.Success("{\"status\":404,\"body\":\"status 404\"}"), result);
  }

  @Test
  void otherStatusThanTheExpectedOneIsANonRetryableFailure() {
    HandlerResult result = call("""
        {"url": "%s/status/200", "expectStatus": 201}""".formatted(base));

    assertEquals(new HandlerResult.Failure("status 200 (expected 201): status 200", false), result);
  }

  @Test
  void notFoundIsANonRetryableFailure() {
    assertEquals(new HandlerResult.Failure("status 404: status 404", false),
        call("{\"url\":\"" + base + "/status/404\"}"));
  }

  @ParameterizedTest
  @CsvSource({"503", "500", "429", "408"})
  void serverTroubleAndThrottlingAreRetryable(int status) {
    HandlerResult result = call("{\"url\":\"" + base + "/status/" + status + "\"}");

    assertEquals(new HandlerResult.Failure("status " + status + ": status " + status, true), result);
  }

  @Test
  void postSendsAJsonBodyAndTheGivenHeaders() throws InterruptedException {
    HandlerResult result = call("""
        {"url": "%s/echo?x=1", "method": "post", "headers": {"X-Token": "t0k3n"}, "body": {"a": [1, 2]}}""".formatted(base));

    assertEquals(new HandlerResult.Success("{\"status\":200,\"body\":\"echo\"}"), result);
    Received request = received.poll(5, TimeUnit.SECONDS);
    assertEquals("POST", request.method());
    assertEquals("x=1", request.query());
    assertEquals("t0k3n", request.headers().get("x-token"));
    assertEquals("application/json", request.headers().get("content-type"));
    assertEquals("{\"a\":[1,2]}", request.body());
  }

  @Test
  void stringBodyIsSentAsIsWithTheCallersContentType() throws InterruptedException {
    call("""
        {"url": "%s/echo", "method": "PUT", "headers": {"content-type": "text/plain"}, "body": "plain {text}"}
        """.formatted(base));

    Received request = received.poll(5, TimeUnit.SECONDS);
    assertEquals("PUT", request.method());
    assertEquals("text/plain", request.headers().get("content-type"));
    assertEquals("plain {text}", request.body());
  }

  @Test
  void aScalarBodyIsSentAsItsJsonTextWithoutAContentType() throws InterruptedException {
    call("""
        {"url": "%s/echo", "method": "POST", "body": 42}""".formatted(base));

    Received request = received.poll(5, TimeUnit.SECONDS);
    assertEquals("42", request.body());
    assertFalse(request.headers().containsKey("content-type"), request.headers().toString());
  }

  @Test
  void nullFieldsAndUnknownFieldsAreIgnored() {
    HandlerResult result = call("""
        {"url": "%s/status/200", "method": null, "headers": null, "body": null, "expectStatus": null, "note": "x"}""".formatted(base));

    assertEquals(new HandlerResult.Success("{\"status\":200,\"body\":\"status 200\"}"), result);
  }

  @Test
  void everyCallNamesItsJobAttemptAndWorker() throws InterruptedException {
    Results.await(handler.handle(context("{\"url\":\"" + base + "/echo\"}").attempt(3)));

    Received request = received.poll(5, TimeUnit.SECONDS);
    assertEquals("job-1", request.headers().get("x-jobcluster-job-id"));
    assertEquals("3", request.headers().get("x-jobcluster-attempt"));
    assertEquals(HttpHandler.workerLabel(TestJobContext.WORKER_ID), request.headers().get("x-jobcluster-worker"));
  }

  @Test
  void theWorkerHeaderIsAnOpaqueLabelWithoutTheNodesAddress() throws InterruptedException {
    call("{\"url\":\"" + base + "/echo\"}");

    String worker = received.poll(5, TimeUnit.SECONDS).headers().get("x-jobcluster-worker");
    assertTrue(worker.matches("w-[0-9a-f]{16}"), worker);
    assertFalse(worker.contains("127.0.0.1") || worker.contains("25520"), worker);
    assertEquals(worker, HttpHandler.workerLabel(TestJobContext.WORKER_ID), "stable for the worker");
    assertNotEquals(worker, HttpHandler.workerLabel("127.0.0.1:25520#2/default"), "another worker, another label");
  }

  @Test
  void payloadCannotForgeTheIdentityHeaders() throws InterruptedException {
    call("""
        {
          "url": "%s/echo",
          "headers": {"x-jobcluster-job-id": "other", "X-Jobcluster-Attempt": "99", "X-JOBCLUSTER-WORKER": "elsewhere", "X-Kept": "yes"}
        }""".formatted(base));

    Received request = received.poll(5, TimeUnit.SECONDS);
    assertEquals("job-1", request.headers().get("x-jobcluster-job-id"));
    assertEquals("1", request.headers().get("x-jobcluster-attempt"));
    assertEquals(HttpHandler.workerLabel(TestJobContext.WORKER_ID), request.headers().get("x-jobcluster-worker"));
    assertEquals("yes", request.headers().get("x-kept"));
    assertEquals(List.of("job-1"), request.allHeaders().get("x-jobcluster-job-id"), "sent once");
  }

  @Test
  void headHasAnEmptyBody() {
    HandlerResult result = call("""
        {"url": "%s/status/200", "method": "HEAD"}""".formatted(base));

    assertEquals(new HandlerResult.Success("{\"status\":200,\"body\":\"\"}"), result);
  }

  @Test
  void keepsTheFirst64KiBOfALargeBody() throws IOException {
    HandlerResult.Success result =
        assertInstanceOf(HandlerResult.Success.class, call("{\"url\":\"" + base + "/big\"}"));

    String body = NodeJson.mapper().readTree(result.resultJson()).get("body").textValue();
    assertEquals(HttpHandler.BODY_LIMIT_BYTES, body.length());
  }

  @Test
  void decodesTheBodyWithTheResponseCharset() {
    HandlerResult result = call("{\"url\":\"" + base + "/latin1\"}");

    assertEquals(new HandlerResult.Success("{\"status\":200,\"body\":\"café\"}"), result);
  }

  @Test
  void readsTheBodyAsUtf8WhenTheCharsetIsUnknown() {
    HandlerResult result = call("{\"url\":\"" + base + "/unknown-charset\"}");

    assertEquals(new HandlerResult.Success("{\"status\":200,\"body\":\"café\"}"), result);
  }

  @Test
  void callThatOutlivesTheLeaseTimesOutRetryably() {
    // Heartbeats are due every 300 ms of the 900 ms limit, so some come even on a busy machine.
    TestJobContext context = context("{\"url\":\"" + base + "/slow\"}").leaseTimeout(Duration.ofMillis(900));

    HandlerResult.Failure failure =
        assertInstanceOf(HandlerResult.Failure.class, Results.await(handler.handle(context)));

    assertEquals("http call timed out (limit 900 ms)", failure.error());
    assertTrue(failure.retryable());
    assertFalse(context.heartbeats().isEmpty(), "heartbeats while waiting for the answer");
  }

  @Test
  void bodyThatTricklesPastTheTimeoutTimesOutRetryably() throws Exception {
    TestJobContext context = context("{\"url\":\"" + base + "/stream\"}").leaseTimeout(Duration.ofMillis(300));

    HandlerResult result = Results.await(handler.handle(context));

    assertEquals(new HandlerResult.Failure("http call timed out (limit 300 ms)", true), result);
    streamAborted.get(5, TimeUnit.SECONDS);
  }

  @Test
  void requestTimeoutIsTheLeaseCappedAtTheMaximum() {
    assertEquals(Duration.ofMillis(300), handler.requestTimeout(Duration.ofMillis(300)));
    assertEquals(Duration.ofSeconds(60), handler.requestTimeout(Duration.ofMinutes(5)));
    assertEquals(Duration.ofMillis(1), handler.requestTimeout(Duration.ZERO));
  }

  @Test
  void refusedConnectionIsRetryable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    HandlerResult.Failure failure = assertInstanceOf(HandlerResult.Failure.class,
        call("{\"url\":\"http://127.0.0.1:" + closedPort + "/\"}"));

    assertTrue(failure.retryable());
    assertTrue(failure.error().startsWith("http call failed: ") && failure.error().contains("ConnectException"), failure.error());
  }

  @Test
  void cancellationAbortsTheRequestInFlight() throws Exception {
    TestJobContext context = context("{\"url\":\"" + base + "/stream\"}");
    CompletionStage<HandlerResult> call = handler.handle(context);
    streamStarted.get(5, TimeUnit.SECONDS);

    context.cancel();

    assertEquals(new HandlerResult.Failure("cancelled", false), Results.await(call, Duration.ofSeconds(1)));
    streamAborted.get(5, TimeUnit.SECONDS);
  }

  @Test
  void lostLeaseAbortsTheRequestInFlight() throws Exception {
    TestJobContext context = context("{\"url\":\"" + base + "/stream\"}")
        .leaseTimeout(Duration.ofMillis(300))
        .answerHeartbeats(progress -> CompletableFuture.completedFuture(false));

    HandlerResult result = Results.await(handler.handle(context));

    assertEquals(new HandlerResult.Failure("lease lost", true), result);
    streamAborted.get(5, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{}                                                  | payload field 'url' is required",
    "{\"url\":\"ftp://127.0.0.1/file\"}                  | payload field 'url' must be an http or https URL",
    "{\"url\":\"/relative\"}                             | payload field 'url' must be an http or https URL",
    "{\"url\":\"http://bad host/\"}                      | payload field 'url' is not a valid URL",
    "{\"url\":\"http:///no-host\"}                       | payload field 'url' must name a host",
    "{\"url\":\"http://h/\",\"method\":\"TRACE\"}        | payload field 'method' must be one of GET, POST, PUT, PATCH, DELETE, HEAD",
    "{\"url\":\"http://h/\",\"body\":\"x\"}              | payload field 'body' is not allowed with GET",
    "{\"url\":\"http://h/\",\"headers\":[]}              | payload field 'headers' must be an object of strings",
    "{\"url\":\"http://h/\",\"headers\":{\"X-N\":1}}     | payload field 'headers' must be an object of strings ('X-N' is not)",
    "{\"url\":\"http://h/\",\"headers\":{\"Host\":\"x\"}} | payload field 'headers' must not set the restricted header 'Host'",
    "{\"url\":\"http://h/\",\"headers\":{\"content-length\":\"1\"}} | payload field 'headers' must not set the restricted header 'content-length'",
    "{\"url\":\"http://h/\",\"headers\":{\"bad name\":\"x\"}} | payload field 'headers' holds an invalid header name or value",
    "{\"url\":\"http://h/\",\"expectStatus\":99}         | payload field 'expectStatus' must be between 100 and 599",
    "{\"url\":\"http://h/\",\"expectStatus\":99999999999999999999999} | payload field 'expectStatus' must be between 100 and 599",
    "{\"url\":\"http://h/\",\"expectStatus\":200.0}      | payload field 'expectStatus' must be an integer",
    "{\"url\":5}                                         | payload field 'url' must be a string",
    "{\"url\":\"http://h/\",\"method\":1}               | payload field 'method' must be a string",
    "{\"url\":\"http://h/\",\"method\":\"HEAD\",\"body\":{}} | payload field 'body' is not allowed with HEAD",
    "{\"url\":\"http://h/\",\"headers\":\"x\"}           | payload field 'headers' must be an object of strings",
    "{\"url\":\"http://h/\",\"headers\":{\"X-N\":null}}  | payload field 'headers' must be an object of strings ('X-N' is not)",
    "{\"url\":\"http://h/\",\"url\":\"http://h/\"}        | payload is not valid JSON",
    "[]                                                  | payload must be a JSON object"
  })
  void invalidPayloadIsANonRetryableFailureNamingTheField(String payload, String error) {
    assertEquals(new HandlerResult.Failure(error, false), call(payload));
  }

  @Test
  void logsTheHostButNeitherQueryNorHeaderValues() {
    Logger logger = (Logger) LoggerFactory.getLogger(HttpHandler.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    Level level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    try {
      call("""
          {"url": "http://user:pw-s3cret@127.0.0.1:%s/status/500?token=s3cret", "headers": {"Authorization": "Bearer s3cret"}}
          """.formatted(server.getAddress().getPort()));
    } finally {
      logger.setLevel(level);
      logger.detachAppender(appender);
    }

    String logged = appender.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    assertTrue(logged.contains("host=127.0.0.1:"), logged);
    assertFalse(logged.contains("s3cret"), logged);
    assertFalse(logged.contains("/status"), logged);
  }

  private HandlerResult call(String payload) {
    return Results.await(handler.handle(context(payload)));
  }

  private TestJobContext context(String payload) {
    return new TestJobContext("http", payload, scheduler);
  }

  private void status(HttpExchange exchange) throws IOException {
    int status = Integer.parseInt(exchange.getRequestURI().getPath().substring("/status/".length()));
    respond(exchange, status, "status " + status);
  }

  private void echo(HttpExchange exchange) throws IOException {
    Map<String, List<String>> headers = exchange.getRequestHeaders().entrySet().stream()
        .collect(Collectors.toMap(header -> header.getKey().toLowerCase(Locale.ROOT), header -> List.copyOf(header.getValue())));
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getQuery(), headers, body));
    respond(exchange, 200, "echo");
  }

  private void slow(HttpExchange exchange) throws IOException {
    try {
      testOver.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    respond(exchange, 200, "late");
  }

  /** Sends a body slowly and without end, until the client goes away. */
  private void stream(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, 0);
    streamStarted.complete(null);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try (OutputStream body = exchange.getResponseBody()) {
      while (System.nanoTime() < deadline && !testOver.await(20, TimeUnit.MILLISECONDS)) {
        body.write('x');
        body.flush();
      }
    } catch (IOException e) {
      streamAborted.complete(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void big(HttpExchange exchange) throws IOException {
    respond(exchange, 200, "a".repeat(HttpHandler.BODY_LIMIT_BYTES + 6 * 1024));
  }

  private void latin1(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=ISO-8859-1");
    byte[] body = "café".getBytes(StandardCharsets.ISO_8859_1);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private void unknownCharset(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=x-no-such-charset");
    respond(exchange, 200, "café");
  }

  private static void respond(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    boolean noBody = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!noBody) {
        out.write(body);
      }
    }
  }
}
