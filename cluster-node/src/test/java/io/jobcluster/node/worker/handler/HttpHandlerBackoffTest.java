package io.jobcluster.node.worker.handler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The http handler backing off a host: its circuit breaker, Retry-After, its concurrency limit.
 * Against real HTTP servers on 127.0.0.1 (the handler is allowed to call it), each test its own.
 */
class HttpHandlerBackoffTest {

  private static final int MAX_FAILURES = 3;
  private static final Duration RESET = Duration.ofSeconds(2);

  private static ActorSystem<Void> system;
  private static ExecutorService serverThreads;
  private static ScheduledExecutorService scheduler;

  private final List<Target> targets = new ArrayList<>();
  private final CountDownLatch testOver = new CountDownLatch(1);
  private SimpleMeterRegistry meters;
  private HttpHandler handler;

  @BeforeAll
  static void startThreads() {
    serverThreads = Executors.newCachedThreadPool();
    scheduler = Executors.newSingleThreadScheduledExecutor();
    system = ActorSystem.create(Behaviors.empty(), "http-backoff-test");
  }

  @AfterAll
  static void stopThreads() {
    serverThreads.shutdownNow();
    scheduler.shutdownNow();
    system.terminate();
  }

  @BeforeEach
  void startHandler() {
    handler = handler(2, Duration.ofHours(1));
  }

  @AfterEach
  void stopServers() {
    testOver.countDown();
    targets.forEach(target -> target.server.stop(0));
  }

  @Test
  void afterMaxFailuresTheBreakerOpensAndCallsFailFastUntilItsReset() throws IOException {
    Target target = target();
    target.status.set(500);
    for (int i = 0; i < MAX_FAILURES; i++) {
      assertEquals(new HandlerResult.Failure("status 500: failing", true), call(target.url("/")));
    }
    assertEquals(MAX_FAILURES, target.calls.get());

    Instant before = Instant.now();
    // The breaker counts a failure in a callback of its own, which may run after the caller saw the answer.
    await().atMost(Duration.ofSeconds(5)).until(() -> guard(target).breaker().isOpen());
    HandlerResult.Failure failFast = assertInstanceOf(HandlerResult.Failure.class, call(target.url("/")));

    assertEquals(MAX_FAILURES, target.calls.get(), "no call was made");
    assertTrue(failFast.retryable());
    assertEquals("http call not made: the circuit breaker of 127.0.0.1:" + target.port() + " is open (its calls kept failing)", failFast.error());
    assertNotNull(failFast.notBefore(), "retried not before the breaker's reset");
    assertFalse(failFast.notBefore().isBefore(before.plus(RESET).minusMillis(500)), failFast.notBefore().toString());
    assertFalse(failFast.notBefore().isAfter(Instant.now().plus(RESET)), failFast.notBefore().toString());
    // Pekko tells its listeners on its dispatcher: the state and metrics follow shortly.
    await().atMost(Duration.ofSeconds(5)).until(() -> guard(target).state() == HostGuards.BreakerState.OPEN);
    assertEquals(2.0, meters.get("jobcluster.http.breaker.state").tag("host", "127.0.0.1:" + target.port()).gauge().value());
    assertEquals(1.0, meters.get("jobcluster.http.breaker.transitions").tag("state", "open").counter().count());
    await().atMost(Duration.ofSeconds(5)).until(() -> meters.get("jobcluster.http.calls.short.circuited").counter().count() == 1.0);

    Target other = target();
    assertInstanceOf(HandlerResult.Success.class, call(other.url("/")), "another host is not affected");
    assertEquals(1, other.calls.get());
  }

  @Test
  void aSuccessfulTrialCallClosesTheBreaker() throws IOException {
    Target target = target();
    target.status.set(503);
    for (int i = 0; i < MAX_FAILURES; i++) {
      call(target.url("/"));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> guard(target).state() == HostGuards.BreakerState.OPEN);
    target.status.set(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> guard(target).state() == HostGuards.BreakerState.HALF_OPEN);
    assertInstanceOf(HandlerResult.Success.class, call(target.url("/")));

    assertEquals(MAX_FAILURES + 1, target.calls.get());
    await().atMost(Duration.ofSeconds(5)).until(() -> guard(target).state() == HostGuards.BreakerState.CLOSED);
    assertInstanceOf(HandlerResult.Success.class, call(target.url("/")));
    assertEquals(MAX_FAILURES + 2, target.calls.get());
  }

  @Test
  void clientErrorsOtherThanTooManyRequestsDoNotTripTheBreaker() throws IOException {
    Target target = target();
    target.status.set(404);
    for (int i = 0; i < MAX_FAILURES + 2; i++) {
      assertEquals(new HandlerResult.Failure("status 404: failing", false), call(target.url("/")));
    }

    assertEquals(MAX_FAILURES + 2, target.calls.get());
    assertEquals(HostGuards.BreakerState.CLOSED, guard(target).state());
  }

  @Test
  void retryAfterSecondsOnTooManyRequestsSetsTheNextAttempt() throws IOException {
    Target target = target();
    target.status.set(429);
    target.retryAfter = "3";
    Instant before = Instant.now();

    HandlerResult.Failure failure = assertInstanceOf(HandlerResult.Failure.class, call(target.url("/")));

    assertTrue(failure.retryable());
    assertFalse(failure.notBefore().isBefore(before.plusSeconds(3)), failure.notBefore().toString());
    assertFalse(failure.notBefore().isAfter(Instant.now().plusSeconds(3)), failure.notBefore().toString());
    assertEquals(1.0, meters.get("jobcluster.http.retry.after").counter().count());
  }

  @Test
  void retryAfterAsAnHttpDateOnServiceUnavailableSetsTheNextAttempt() throws IOException {
    Target target = target();
    target.status.set(503);
    Instant at = Instant.now().plusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    target.retryAfter = DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));

    HandlerResult.Failure failure = assertInstanceOf(HandlerResult.Failure.class, call(target.url("/")));

    assertEquals(at, failure.notBefore());
  }

  @Test
  void aRetryAfterLongerThanTheMaximumIsCapped() throws IOException {
    handler = handler(2, Duration.ofSeconds(60));
    Target target = target();
    target.status.set(429);
    target.retryAfter = "86400";

    HandlerResult.Failure failure = assertInstanceOf(HandlerResult.Failure.class, call(target.url("/")));

    assertFalse(failure.notBefore().isAfter(Instant.now().plusSeconds(60)), failure.notBefore().toString());
    assertTrue(failure.notBefore().isAfter(Instant.now().plusSeconds(50)), failure.notBefore().toString());
  }

  @Test
  void aGarbageRetryAfterOrOneOnAnotherStatusLeavesTheBackoff() throws IOException {
    Target target = target();
    target.status.set(429);
    target.retryAfter = "tomorrow-ish";
    assertEquals(new HandlerResult.Failure("status 429: failing", true), call(target.url("/")));

    target.status.set(500);
    target.retryAfter = "30";
    assertEquals(new HandlerResult.Failure("status 500: failing", true), call(target.url("/")));
  }

  @Test
  void atMostTheLimitOfCallsAreInFlightToOneHostAndTheRestFollow() throws IOException {
    Target target = target();
    target.hold = new CountDownLatch(1);
    List<CompletionStage<HandlerResult>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(handler.handle(context(target.url("/"))));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> target.inFlight.get() == 2 && guard(target).slots().waiting() == 3);
    target.hold.countDown();

    for (CompletionStage<HandlerResult> call : calls) {
      assertInstanceOf(HandlerResult.Success.class, Results.await(call));
    }
    assertEquals(5, target.calls.get());
    assertEquals(2, target.maxInFlight.get());
    await().atMost(Duration.ofSeconds(5)).until(() -> guard(target).slots().idle());
  }

  @Test
  void aCancelledWaitingCallFreesItsPlaceInLineAndLeaksNone() throws IOException {
    Target target = heldByOneCall();
    TestJobContext waiting = context(target.url("/"));
    CompletionStage<HandlerResult> cancelled = handler.handle(waiting);
    await().atMost(Duration.ofSeconds(10)).until(() -> guard(target).slots().waiting() == 1);

    waiting.cancel();

    assertEquals(new HandlerResult.Failure("cancelled", false), Results.await(cancelled));
    assertEquals(0, guard(target).slots().waiting());
    assertEquals(1, guard(target).slots().inFlight());
    target.hold.countDown();
    assertInstanceOf(HandlerResult.Success.class, Results.await(target.holding));
    await().atMost(Duration.ofSeconds(5)).until(() -> guard(target).slots().idle());
    assertInstanceOf(HandlerResult.Success.class, call(target.url("/")));
    assertEquals(2, target.calls.get(), "the cancelled call never reached the server");
  }

  @Test
  void aWaitingCallThatTimesOutLeavesTheLine() throws IOException {
    Target target = heldByOneCall();

    HandlerResult late = Results.await(handler.handle(context(target.url("/")).leaseTimeout(Duration.ofMillis(300))));

    assertEquals(new HandlerResult.Failure("http call timed out (limit 300 ms)", true), late);
    assertEquals(0, guard(target).slots().waiting());
    target.hold.countDown();
    assertInstanceOf(HandlerResult.Success.class, Results.await(target.holding));
    await().atMost(Duration.ofSeconds(5)).until(() -> guard(target).slots().idle());
    assertEquals(HostGuards.BreakerState.CLOSED, guard(target).state(), "a call that never left does not count against the host");
  }

  @Test
  void theNumberOfHostsKeptIsBounded() throws IOException {
    handler = HttpHandler.create(system, HttpJobSettings.defaults()
        .withPolicy(AddressPolicy.allowing(List.of("127.0.0.1")))
        .withHosts(new HttpJobSettings.HostLimits(MAX_FAILURES, RESET, 2, 2, Duration.ofHours(1))),
        InetAddress::getAllByName, HttpHandler.defaultTls(), meters);
    for (int i = 0; i < 4; i++) {
      Target target = target();
      assertInstanceOf(HandlerResult.Success.class, call(target.url("/")));
    }

    assertEquals(2, handler.guards().size());
    assertEquals(2, meters.find("jobcluster.http.breaker.state").gauges().size(), "the gauges of forgotten hosts are removed");
  }

  private HttpHandler handler(int maxCallsPerHost, Duration maxRetryAfter) {
    meters = new SimpleMeterRegistry();
    return HttpHandler.create(system, HttpJobSettings.defaults()
            .withPolicy(AddressPolicy.allowing(List.of("127.0.0.1")))
            .withHosts(new HttpJobSettings.HostLimits(MAX_FAILURES, RESET, maxCallsPerHost, 100, maxRetryAfter)),
        InetAddress::getAllByName, HttpHandler.defaultTls(), meters);
  }

  /** A target on a handler with one place per host, that place held by a call until the target's hold opens. */
  private Target heldByOneCall() throws IOException {
    handler = handler(1, Duration.ofHours(1));
    Target target = target();
    target.hold = new CountDownLatch(1);
    target.holding = handler.handle(context(target.url("/")));
    await().atMost(Duration.ofSeconds(10)).until(() -> target.inFlight.get() == 1);
    return target;
  }

  private HostGuards.HostGuard guard(Target target) {
    return handler.guards().of("127.0.0.1:" + target.port());
  }

  private HandlerResult call(String url) {
    return Results.await(handler.handle(context(url)));
  }

  private TestJobContext context(String url) {
    return new TestJobContext("http", "{\"url\":\"" + url + "\"}", scheduler);
  }

  private Target target() throws IOException {
    Target target = new Target();
    targets.add(target);
    return target;
  }

  /** A server answering {@code status} with {@code retryAfter}, holding each request while {@code hold} is closed. */
  private final class Target {
    final HttpServer server;
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    volatile String retryAfter;
    volatile CountDownLatch hold = new CountDownLatch(0);
    CompletionStage<HandlerResult> holding;

    Target() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(serverThreads);
      server.createContext("/", this::serve);
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    String url(String path) {
      return "http://127.0.0.1:" + port() + path;
    }

    private void serve(HttpExchange exchange) throws IOException {
      calls.incrementAndGet();
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        // Held until the test lets go (or ends): the call stays in flight meanwhile.
        while (!hold.await(50, TimeUnit.MILLISECONDS) && testOver.getCount() > 0) {
          // waiting
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
      int answered = status.get();
      String header = retryAfter;
      if (header != null) {
        exchange.getResponseHeaders().set("Retry-After", URLDecoder.decode(header, StandardCharsets.UTF_8));
      }
      byte[] body = (answered < 400 ? "ok" : "failing").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answered, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
