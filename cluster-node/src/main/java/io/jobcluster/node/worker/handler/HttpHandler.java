package io.jobcluster.node.worker.handler;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ClientTransport;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.OutgoingConnectionBuilder;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.pattern.CircuitBreakerOpenException;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code http} {@code {url, method, headers, body, expectStatus}}: one real outbound call (see
 * {@link HttpCall} for the payload, {@link HttpOutcome} for what a status means). Timeouts and
 * connection errors are retryable; invalid payloads and destinations the {@link AddressPolicy}
 * refuses are not. The call times out with the lease (at most {@code max-call-time}) and heartbeats
 * meanwhile; cancellation or a lost lease aborts it in flight.
 *
 * <p>Each hop resolves its host once, checks every address it resolves to, and connects to the
 * checked address (Pekko HTTP's custom-resolver transport; Host header, SNI and certificate checks
 * still use the host name), so DNS cannot answer differently between check and connect. Redirects
 * (301, 302, 303, 307, 308) are followed by hand, up to {@code max-redirects}, each target checked
 * like the first; never from https to http, and credentials (Authorization, Cookie) are not sent
 * to another origin.
 *
 * <p>Every call carries {@value #JOB_ID_HEADER}, {@value #ATTEMPT_HEADER} and {@value #WORKER_HEADER}
 * (an opaque label of the worker, see {@link #workerLabel}), so a receiver can recognise a repeated
 * execution of the same job: after a node dies mid-call, the job runs again elsewhere.
 *
 * <p>Calls to one target host ({@code host:port} of the URL) on one node go through its
 * {@link HostGuards guard}: at most {@code max-calls-per-host} at once (more wait in line, without a
 * thread, until their deadline), and a circuit breaker that opens after {@code breaker-max-failures}
 * failures in a row (connection errors, timeouts, 5xx, 429) and then fails the attempt fast, without
 * a call, retryable not before the breaker lets a trial call through. A 429 or 503 answer's {@code
 * Retry-After} sets the earliest next attempt likewise ({@link HandlerResult.Failure#notBefore}).
 *
 * <p>Logs name the host and job only: URLs and header values may carry credentials.
 */
public final class HttpHandler implements JobHandler {

  public static final String TYPE = "http";
  public static final String JOB_ID_HEADER = "X-Jobcluster-Job-Id";
  public static final String ATTEMPT_HEADER = "X-Jobcluster-Attempt";
  public static final String WORKER_HEADER = "X-Jobcluster-Worker";
  static final int BODY_LIMIT_BYTES = 64 * 1024;
  private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);

  private final ActorSystem<?> system;
  private final Http http;
  private final HttpJobSettings settings;
  private final AddressPolicy.Resolver resolver;
  private final ClientConnectionSettings connectionSettings;
  private final HttpsConnectionContext tls;
  // Continuations of Pekko's stages run here: without an executor each one would start a thread.
  private final Executor executor;
  private final HostGuards guards;
  private final Clock clock;

  private HttpHandler(ActorSystem<?> system, HttpJobSettings settings, AddressPolicy.Resolver resolver, SSLContext sslContext,
      MeterRegistry meters, Clock clock) {
    this.system = system;
    this.http = Http.get(system);
    this.settings = settings;
    this.resolver = resolver;
    this.connectionSettings = ClientConnectionSettings.create(system.classicSystem()).withConnectingTimeout(settings.connectTimeout());
    this.tls = ConnectionContext.httpsClient((host, port) -> verifyingEngine(sslContext, host, port));
    this.executor = system.executionContext();
    // The breaker's own timeout comes after the call's deadline, which aborts the call and decides.
    this.guards = new HostGuards(system.classicSystem().scheduler(), settings.hosts(), settings.maxRequestTimeout().plusSeconds(1), meters);
    this.clock = clock;
  }

  /**
   * The handler of a node: resolves with the JVM's resolver, trusts the JVM's default trust store,
   * reports its hosts' breakers to {@code meters}.
   */
  public static HttpHandler create(ActorSystem<?> system, HttpJobSettings settings, MeterRegistry meters) {
    return create(system, settings, InetAddress::getAllByName, defaultTls(), meters);
  }

  /** Without metrics (tests). */
  public static HttpHandler create(ActorSystem<?> system, HttpJobSettings settings) {
    return create(system, settings, InetAddress::getAllByName);
  }

  /** With another resolver (tests). */
  static HttpHandler create(ActorSystem<?> system, HttpJobSettings settings, AddressPolicy.Resolver resolver) {
    return create(system, settings, resolver, defaultTls());
  }

  /** With another resolver and trust (tests). */
  static HttpHandler create(ActorSystem<?> system, HttpJobSettings settings, AddressPolicy.Resolver resolver, SSLContext tls) {
    return create(system, settings, resolver, tls, null);
  }

  /** With another resolver, trust and metrics (tests); {@code meters} null for none. */
  static HttpHandler create(ActorSystem<?> system, HttpJobSettings settings, AddressPolicy.Resolver resolver, SSLContext tls,
      MeterRegistry meters) {
    return new HttpHandler(system, settings, resolver, tls, meters, Clock.systemUTC());
  }

  static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
  }

  /** The guards of the hosts this handler calls (tests look at them). */
  HostGuards guards() {
    return guards;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public CompletionStage<HandlerResult> handle(JobContext context) {
    HttpCall call;
    try {
      call = HttpCall.parse(context.payload());
    } catch (InvalidPayloadException e) {
      return CompletableFuture.completedFuture(e.toFailure());
    }
    return new Call(context, call, requestTimeout(context.leaseTimeout())).start();
  }

  /** The lease timeout capped at the maximum: a call ends before a lease nobody heartbeats would. */
  Duration requestTimeout(Duration leaseTimeout) {
    Duration max = settings.maxRequestTimeout();
    Duration timeout = leaseTimeout.compareTo(max) < 0 ? leaseTimeout : max;
    return timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
  }

  /**
   * What {@value #WORKER_HEADER} says of {@code workerId}: {@code w-} and the first 16 hex digits of
   * its SHA-256. Stable for a worker pool, and it reveals no address: a worker id holds the node's
   * incarnation uid (64 random bits), which receivers never learn, so it cannot be guessed back.
   */
  public static String workerLabel(String workerId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(workerId.getBytes(StandardCharsets.UTF_8));
      return "w-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  /** Which job, attempt and worker make the call: for receivers that deduplicate. */
  static Map<String, String> identity(JobContext context) {
    return Map.of(JOB_ID_HEADER, context.jobId(),
        ATTEMPT_HEADER, Integer.toString(context.attempt()),
        WORKER_HEADER, workerLabel(context.workerId()));
  }

  /** A client engine for {@code host} that verifies the server's certificate names it. */
  private static SSLEngine verifyingEngine(SSLContext context, String connectedHost, int port) {
    // An IPv6 literal comes in brackets, as in the URL; the certificate check wants the bare address.
    String host = connectedHost.startsWith("[") && connectedHost.endsWith("]")
        ? connectedHost.substring(1, connectedHost.length() - 1)
        : connectedHost;
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    // SNI names a host; an IP literal is sent without it.
    if (!isIpLiteral(host)) {
      parameters.setServerNames(List.of(new SNIHostName(host)));
    }
    engine.setSSLParameters(parameters);
    return engine;
  }

  /** Why a call was cut short by us rather than ended by the server or the network. */
  private enum Abort {
    CANCELLED,
    LEASE_LOST,
    TIMED_OUT
  }

  /**
   * What the server answered to the last hop: its status, the first bytes of its body, and its
   * Retry-After header (null when none).
   */
  private record Answer(int status, String body, String retryAfter) {}

  /** One attempt's call: its hops, lease keeper and deadline, and why it was cut short. */
  private final class Call {
    private final JobContext context;
    private final HttpCall call;
    private final Duration timeout;
    private final Map<String, String> identity;
    private final AtomicReference<Abort> abort = new AtomicReference<>();
    // Fails when the call is aborted, so that an exchange still waiting for its answer ends at once.
    private final CompletableFuture<Void> aborted = new CompletableFuture<>();
    // Every body the call reads runs through it: aborting closes the connection.
    private final SharedKillSwitch killSwitch = KillSwitches.shared("http-job");
    // The last answer's body until something reads or drops it: an abort drops it, since a body nobody
    // reads keeps its connection open (an abort that raced the answer would otherwise leave it so).
    private final AtomicReference<ResponseEntity> unread = new AtomicReference<>();
    private LeaseKeeper lease;
    private ScheduledFuture<?> deadline;

    Call(JobContext context, HttpCall call, Duration timeout) {
      this.context = context;
      this.call = call;
      this.timeout = timeout;
      this.identity = identity(context);
    }

    CompletionStage<HandlerResult> start() {
      log.debug("http call jobId={} attempt={} method={} host={}",
          context.jobId(), context.attempt(), call.method(), call.target());
      deadline = context.scheduler().schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
      // The call ends within the lease, but heartbeats keep its result from racing the lease's end.
      lease = LeaseKeeper.start(context, () -> null, this::leaseLost);
      context.cancellation().thenRun(this::cancelled);
      HostGuards.HostGuard guard = guards.of(hostOf(call));
      return guard.slots().acquire(aborted)
          .thenCompose(slot -> guarded(guard, slot))
          .handle(this::settle);
    }

    /** The call through the host's breaker, in the place it holds, which it gives up when it ends. */
    private CompletionStage<Answer> guarded(HostGuards.HostGuard guard, HostSlots.Slot slot) {
      CompletionStage<Answer> answer;
      try {
        answer = guard.breaker().callWithCircuitBreakerCS(() -> send(call, settings.maxRedirects()), this::tripsBreaker);
      } catch (RuntimeException e) {
        slot.release();
        throw e;
      }
      return answer.whenComplete((ignored, error) -> slot.release());
    }

    /**
     * What counts against the host: no answer (connection errors, timeouts) and answers that say it
     * is in trouble (5xx, 429). An abort of ours, a refused destination or an invalid request does not.
     */
    private Boolean tripsBreaker(Optional<Answer> answer, Optional<Throwable> error) {
      if (answer.isPresent()) {
        return HttpOutcome.tripsBreaker(answer.get().status());
      }
      Abort reason = abort.get();
      if (reason == Abort.CANCELLED || reason == Abort.LEASE_LOST) {
        return false;
      }
      Throwable cause = unwrap(error.orElse(null));
      return !(cause instanceof AddressPolicy.DestinationRefusedException || cause instanceof InvalidPayloadException);
    }

    private CompletionStage<Answer> send(HttpCall hop, int redirectsLeft) {
      return CompletableFuture.supplyAsync(() -> resolve(hop), context.blockingExecutor())
          .thenComposeAsync(address -> exchange(hop, address), executor)
          .thenComposeAsync(response -> answerOrFollow(hop, response, redirectsLeft), executor);
    }

    /** The one address this hop connects to, checked; resolved once, here. */
    private InetAddress resolve(HttpCall hop) {
      try {
        return settings.policy().resolve(hop.url().getHost(), resolver);
      } catch (UnknownHostException e) {
        throw new CompletionException(e);
      }
    }

    private CompletionStage<HttpResponse> exchange(HttpCall hop, InetAddress address) {
      if (abort.get() != null) {
        return CompletableFuture.failedFuture(new IllegalStateException("aborted"));
      }
      ClientTransport pinned = ClientTransport.withCustomResolver(
          (host, port) -> CompletableFuture.completedFuture(new InetSocketAddress(address, (Integer) port)));
      OutgoingConnectionBuilder connection = http.connectionTo(hop.url().getHost())
          .toPort(hop.port())
          .withClientConnectionSettings(connectionSettings.withTransport(pinned));
      try {
        // No kill switch on the exchange itself: cancelling it while the answer is on its way left
        // the answer's body unsubscribed and its connection open (1 run in 5 of
        // HttpHandlerTest.cancellationAbortsTheRequestInFlight). An abort ends the call at once
        // instead, and the answer, when it comes, is dropped, which closes its connection.
        CompletableFuture<HttpResponse> answered = new CompletableFuture<>();
        Source.single(hop.toRequest(identity))
            .via(hop.isHttps() ? connection.withCustomHttpsConnectionContext(tls).https() : connection.http())
            .runWith(Sink.head(), system)
            .whenComplete((response, failure) -> {
              if (failure == null) {
                answered.complete(received(response));
              } else {
                answered.completeExceptionally(failure);
              }
            });
        aborted.whenComplete((ignored, reason) -> answered.completeExceptionally(reason));
        return answered;
      } catch (IllegalArgumentException e) {
        // The request cannot be built (a header Pekko refuses): the same next time.
        return CompletableFuture.failedFuture(new InvalidPayloadException("http call failed: " + describe(e)));
      }
    }

    private CompletionStage<Answer> answerOrFollow(HttpCall hop, HttpResponse response, int redirectsLeft) {
      int status = response.status().intValue();
      Optional<String> location = HttpCall.isRedirect(status)
          ? response.getHeader("Location").map(header -> header.value())
          : Optional.empty();
      if (location.isEmpty()) {
        String retryAfter = response.getHeader("Retry-After").map(header -> header.value()).orElse(null);
        return prefix(response.entity()).thenApply(body -> new Answer(status, body, retryAfter));
      }
      discard(response.entity());
      if (redirectsLeft == 0) {
        throw new AddressPolicy.DestinationRefusedException(
            "http call failed: more than " + settings.maxRedirects() + " redirects");
      }
      HttpCall next = hop.redirect(location.get(), status);
      log.debug("http call redirected jobId={} attempt={} status={} host={}",
          context.jobId(), context.attempt(), status, next.target());
      return send(next, redirectsLeft - 1);
    }

    private HttpResponse received(HttpResponse response) {
      unread.set(response.entity());
      if (abort.get() != null) {
        dropUnread();
      }
      return response;
    }

    /** Cancels the unread body, which closes its connection; at most once per body. */
    private void dropUnread() {
      ResponseEntity entity = unread.getAndSet(null);
      if (entity != null) {
        entity.getDataBytes().runWith(Sink.cancelled(), system);
      }
    }

    /** The first {@value #BODY_LIMIT_BYTES} bytes as text; reading stops (and the connection closes) there. */
    private CompletionStage<String> prefix(ResponseEntity entity) {
      if (!unread.compareAndSet(entity, null)) {
        return CompletableFuture.failedFuture(new IllegalStateException("http call aborted"));
      }
      Charset charset = charsetOf(entity);
      return entity.getDataBytes()
          .via(killSwitch.flow())
          .scan(ByteString.emptyByteString(), (prefix, chunk) -> prefix.concat(chunk.take(BODY_LIMIT_BYTES - prefix.size())))
          .takeWhile(prefix -> prefix.size() < BODY_LIMIT_BYTES, true)
          .runWith(Sink.last(), system)
          .thenApplyAsync(prefix -> prefix.decodeString(charset), executor);
    }

    private void discard(ResponseEntity entity) {
      // Cancelling closes the hop's connection at once; a redirect's body is never read.
      if (unread.compareAndSet(entity, null)) {
        entity.getDataBytes().runWith(Sink.cancelled(), system);
      }
    }

    private HandlerResult settle(Answer answer, Throwable error) {
      deadline.cancel(false);
      lease.stop();
      if (error == null) {
        log.debug("http call answered jobId={} attempt={} host={} status={}",
            context.jobId(), context.attempt(), call.target(), answer.status());
        return HttpOutcome.of(answer.status(), answer.body(), call.expectStatus(), retryAfter(answer));
      }
      return failure(error);
    }

    /** When a 429 or 503 answer says the next attempt may start; null when it says nothing usable. */
    private Instant retryAfter(Answer answer) {
      if (!HttpOutcome.honoursRetryAfter(answer.status())) {
        return null;
      }
      Instant notBefore = RetryAfter.parse(answer.retryAfter(), clock.instant(), settings.hosts().maxRetryAfter()).orElse(null);
      if (notBefore != null) {
        guards.retryAfterHonoured();
        log.info("http call asked to retry later jobId={} attempt={} host={} status={} notBefore={}",
            context.jobId(), context.attempt(), call.target(), answer.status(), notBefore);
      }
      return notBefore;
    }

    private void cancelled() {
      abort(Abort.CANCELLED);
    }

    private void leaseLost() {
      abort(Abort.LEASE_LOST);
    }

    private void timedOut() {
      abort(Abort.TIMED_OUT);
    }

    private void abort(Abort reason) {
      if (abort.compareAndSet(null, reason)) {
        IllegalStateException cause = new IllegalStateException("http call aborted: " + reason);
        killSwitch.abort(cause);
        aborted.completeExceptionally(cause);
        dropUnread();
      }
    }

    private HandlerResult failure(Throwable error) {
      Throwable cause = unwrap(error);
      Abort reason = abort.get();
      if (reason == Abort.CANCELLED || reason == Abort.LEASE_LOST) {
        log.debug("http call aborted jobId={} attempt={} host={} reason={}",
            context.jobId(), context.attempt(), call.target(), reason);
        return reason == Abort.CANCELLED
            ? HandlerResult.failure("cancelled", false)
            : HandlerResult.failure("lease lost", true);
      }
      if (cause instanceof CircuitBreakerOpenException open) {
        // The host kept failing: no call now, and the next attempt not before the breaker tries again.
        Instant notBefore = clock.instant().plusMillis(open.remainingDuration().toMillis());
        log.info("http call not made jobId={} attempt={} host={} reason=circuit-breaker-open notBefore={}",
            context.jobId(), context.attempt(), call.target(), notBefore);
        return HandlerResult.retryNotBefore("http call not made: the circuit breaker of " + call.target()
            + " is open (its calls kept failing)", notBefore);
      }
      if (cause instanceof AddressPolicy.DestinationRefusedException refused) {
        log.info("http call refused jobId={} attempt={} host={} reason={}",
            context.jobId(), context.attempt(), call.target(), refused.getMessage());
        return HandlerResult.failure(refused.getMessage(), false);
      }
      log.info("http call failed jobId={} attempt={} host={} error={}",
          context.jobId(), context.attempt(), call.target(),
          reason == Abort.TIMED_OUT ? "timeout" : cause.getClass().getSimpleName());
      if (reason == Abort.TIMED_OUT) {
        return HandlerResult.failure("http call timed out (limit " + timeout.toMillis() + " ms)", true);
      }
      if (cause instanceof InvalidPayloadException invalid) {
        return invalid.toFailure();
      }
      // Connecting, name resolution, the connection breaking: another attempt may well succeed.
      return HandlerResult.failure("http call failed: " + describe(cause), true);
    }
  }

  /** The key of a call's host guard: the URL's host and port, the scheme's default port included. */
  static String hostOf(HttpCall call) {
    return call.url().getHost().toLowerCase(Locale.ROOT) + ":" + call.port();
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  /** The charset the Content-Type names; UTF-8 when it names none or one this JVM lacks. */
  private static Charset charsetOf(ResponseEntity entity) {
    try {
      return entity.getContentType().getCharsetOption()
          .map(charset -> charset.nioCharset())
          .orElse(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      return StandardCharsets.UTF_8;
    }
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    String name = error.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return name;
    }
    // Pekko's TCP failures wrap the JDK's: "Tcp command [Connect(...)] failed because of java.net.ConnectException: ...".
    int because = message.indexOf("because of ");
    return because >= 0 ? message.substring(because + "because of ".length()) : name + ": " + message;
  }

  private static boolean isIpLiteral(String host) {
    return host.contains(":") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
  }
}
