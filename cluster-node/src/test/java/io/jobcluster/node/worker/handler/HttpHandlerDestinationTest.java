package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.LoopbackTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
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
 * Where the http handler may go: the address policy on the first hop and on every redirect, and the
 * connection pinned to the address that was checked. Two real servers, on 127.0.0.1 and 127.0.0.2
 * (both loopback); no traffic leaves this machine.
 */
class HttpHandlerDestinationTest {

  private static final String REFUSED_127_0_0_2 =
      "destination 127.0.0.2 is not allowed: loopback; allow it with JOBCLUSTER_HTTP_ALLOWED_HOSTS";

  private static ActorSystem<Void> system;
  private static ExecutorService serverThreads;
  private static ScheduledExecutorService scheduler;

  private LoopbackTarget first;
  private LoopbackTarget second;

  @BeforeAll
  static void startSystem() {
    serverThreads = Executors.newCachedThreadPool();
    scheduler = Executors.newSingleThreadScheduledExecutor();
    system = ActorSystem.create(Behaviors.empty(), "http-destination-test");
  }

  @AfterAll
  static void stopSystem() {
    serverThreads.shutdownNow();
    scheduler.shutdownNow();
    system.terminate();
  }

  @BeforeEach
  void startServers() throws IOException {
    first = new LoopbackTarget("127.0.0.1", serverThreads);
    second = new LoopbackTarget("127.0.0.2", serverThreads);
  }

  @AfterEach
  void stopServers() {
    first.close();
    second.close();
  }

  @Test
  void byDefaultALoopbackDestinationIsRefusedWithoutACall() {
    HandlerResult result = call(handler(), "{\"url\":\"" + first.base() + "/echo\"}");

    assertEquals(new HandlerResult.Failure(
        "destination 127.0.0.1 is not allowed: loopback; allow it with JOBCLUSTER_HTTP_ALLOWED_HOSTS", false), result);
    assertTrue(first.received().isEmpty());
  }

  @Test
  void aRedirectFromAnAllowedTargetToAnotherLoopbackAddressIsRefused() {
    HandlerResult result = call(handler("127.0.0.1"), "{\"url\":\"" + first.base() + "/to/302?" + second.base() + "/secret\"}");

    assertEquals(new HandlerResult.Failure(REFUSED_127_0_0_2, false), result);
    assertEquals(1, first.received().size(), "the allowed target was called");
    assertTrue(second.received().isEmpty(), "the redirect target was not");
  }

  @Test
  void aRedirectToAnAllowedTargetIsFollowed() throws InterruptedException {
    // The same redirect as above, with 127.0.0.2 allowed too: the refusal above is the policy's doing.
    HandlerResult result = call(handler("127.0.0.1", "127.0.0.2"), "{\"url\":\"" + first.base() + "/to/302?" + second.base() + "/secret\"}");

    assertEquals(new HandlerResult.Success("{\"status\":200,\"body\":\"reached /secret\"}"), result);
    assertEquals("/secret", second.received().poll(5, TimeUnit.SECONDS).path());
  }

  @Test
  void aRelativeRedirectIsCheckedAndFollowed() {
    HandlerResult result = call(handler("127.0.0.1"), "{\"url\":\"" + first.base() + "/to/301?/next\"}");

    assertEquals(new HandlerResult.Success("{\"status\":200,\"body\":\"reached /next\"}"), result);
  }

  @Test
  void redirectsAreFollowedUpToTheLimit() {
    HttpHandler handler = HttpHandler.create(system, new HttpJobSettings(AddressPolicy.allowing(List.of("127.0.0.1")),
        Duration.ofSeconds(5), Duration.ofSeconds(30), 2));
    HandlerResult result = call(handler, "{\"url\":\"" + chain(3) + "\"}");

    assertEquals(new HandlerResult.Failure("http call failed: more than 2 redirects", false), result);
    assertEquals(3, first.received().size(), "the first call and two redirects");
  }

  @Test
  void a303AfterAPostContinuesWithAGetWithoutTheBody() throws InterruptedException {
    HandlerResult result = call(handler("127.0.0.1"), """
        {"url": "%s/to/303?/landing", "method": "POST", "body": {"a": 1}}""".formatted(first.base()));

    assertEquals(new HandlerResult.Success("{\"status\":200,\"body\":\"reached /landing\"}"), result);
    assertEquals("POST", first.received().poll(5, TimeUnit.SECONDS).method());
    LoopbackTarget.Received landing = first.received().poll(5, TimeUnit.SECONDS);
    assertEquals("GET", landing.method());
    assertEquals("", landing.body());
    assertNull(landing.headers().get("content-type"));
  }

  @Test
  void credentialsAreNotSentToAnotherOriginAfterARedirect() throws InterruptedException {
    String sameOrigin = first.base() + "/to/302?/again";
    call(handler("127.0.0.1", "127.0.0.2"), """
        {"url": "%s/to/302?%s/elsewhere", "headers": {"Authorization": "Bearer s3cret", "Cookie": "c=1", "X-Trace": "t"}}"""
        .formatted(first.base(), second.base()));
    call(handler("127.0.0.1"), """
        {"url": "%s", "headers": {"Authorization": "Bearer s3cret"}}""".formatted(sameOrigin));

    LoopbackTarget.Received elsewhere = second.received().poll(5, TimeUnit.SECONDS);
    assertNull(elsewhere.headers().get("authorization"));
    assertNull(elsewhere.headers().get("cookie"));
    assertEquals("t", elsewhere.headers().get("x-trace"));
    first.received().poll(5, TimeUnit.SECONDS);
    first.received().poll(5, TimeUnit.SECONDS);
    LoopbackTarget.Received again = first.received().poll(5, TimeUnit.SECONDS);
    assertEquals("/again", again.path());
    assertEquals("Bearer s3cret", again.headers().get("authorization"), "the same origin keeps them");
  }

  @Test
  void theConnectionGoesToTheCheckedAddressResolvedOnce() throws InterruptedException {
    // pinned.test resolves only through this resolver; the Host header keeps the name.
    AtomicInteger lookups = new AtomicInteger();
    AddressPolicy.Resolver resolver = host -> {
      lookups.incrementAndGet();
      assertEquals("pinned.test", host);
      return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
    };
    HttpHandler handler = HttpHandler.create(system, HttpJobSettings.defaults().withPolicy(AddressPolicy.allowing(List.of("pinned.test"))), resolver);
    int port = first.port();

    HandlerResult result = call(handler, "{\"url\":\"http://pinned.test:" + port + "/echo\"}");

    assertEquals(new HandlerResult.Success("{\"status\":200,\"body\":\"reached /echo\"}"), result);
    assertEquals("pinned.test:" + port, first.received().poll(5, TimeUnit.SECONDS).headers().get("host"));
    assertEquals(1, lookups.get());
  }

  @Test
  void aNameThatAlsoResolvesToAnInternalAddressIsRefusedBeforeAnyConnection() {
    AddressPolicy.Resolver rebinding = host -> new InetAddress[] {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("169.254.169.254")};
    HttpHandler handler = HttpHandler.create(system, HttpJobSettings.defaults().withPolicy(AddressPolicy.allowing(List.of("127.0.0.1"))), rebinding);

    HandlerResult result = call(handler, "{\"url\":\"http://rebind.test:" + first.port() + "/echo\"}");

    assertEquals(new HandlerResult.Failure(
        "destination 169.254.169.254 is not allowed: link-local; allow it with JOBCLUSTER_HTTP_ALLOWED_HOSTS", false), result);
    assertTrue(first.received().isEmpty());
  }

  @Test
  void anUnknownHostIsARetryableFailure() {
    AddressPolicy.Resolver nothing = host -> {
      throw new java.net.UnknownHostException(host);
    };
    HttpHandler handler = HttpHandler.create(system, HttpJobSettings.defaults(), nothing);

    HandlerResult.Failure failure = (HandlerResult.Failure) call(handler, "{\"url\":\"http://nowhere.test/\"}");

    assertTrue(failure.retryable());
    assertEquals("http call failed: UnknownHostException: nowhere.test", failure.error());
  }

  @Test
  void aRedirectFromHttpsToHttpOrToAnotherSchemeIsRefused() {
    HttpCall https = HttpCall.parse("{\"url\":\"https://example.test/a\"}");
    HttpCall http = HttpCall.parse("{\"url\":\"http://example.test/a\"}");

    assertEquals("redirect refused: from https to http",
        assertThrows(AddressPolicy.DestinationRefusedException.class, () -> https.redirect("http://example.test/b", 302)).getMessage());
    assertEquals("redirect refused: the location is not an http or https URL",
        assertThrows(AddressPolicy.DestinationRefusedException.class, () -> http.redirect("file:///etc/passwd", 302)).getMessage());
    assertEquals(URI.create("https://example.test/b"), http.redirect("https://example.test/b", 308).url());
  }

  /** A URL redirecting {@code redirects} times (each location the query of the hop before) before /end. */
  private String chain(int redirects) {
    String url = first.base() + "/end";
    for (int i = 0; i < redirects; i++) {
      url = first.base() + "/to/302?" + url;
    }
    return url;
  }

  private HttpHandler handler(String... allowed) {
    return HttpHandler.create(system, HttpJobSettings.defaults().withPolicy(AddressPolicy.allowing(List.of(allowed))));
  }

  private HandlerResult call(HttpHandler handler, String payload) {
    return Results.await(handler.handle(new TestJobContext("http", payload, scheduler)));
  }
}
