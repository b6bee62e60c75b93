package io.jobcluster.node.webhook;

import com.typesafe.config.Config;
import io.jobcluster.node.JobService;
import io.jobcluster.node.json.NodeJson;
import io.jobcluster.node.worker.handler.PayloadRedaction;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.wire.JobJson;
import io.jobcluster.protocol.wire.WebhookAttempt;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ClientTransport;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.OutgoingConnectionBuilder;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers due webhooks: every node polls {@code webhook_deliveries}, claims a due delivery (one
 * node wins each attempt), POSTs the job's view signed with the tenant's secret, and records the
 * attempt. A 2xx answer delivers it; anything else is tried again after a doubling backoff, up to
 * {@code max-attempts}, then the delivery is dead. A destination the address rules refuse is dead at once.
 * At least once: a node that dies mid-attempt leaves the claim to lapse, and another node tries again.
 */
public final class WebhookDeliverer {
  private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);
  private static final int BATCH = 32;

  /** How deliveries are tried ({@code jobcluster.webhooks}). */
  public record Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration pollInterval, Duration callTimeout) {
    public static Settings fromConfig(Config config) {
      return new Settings(config.getInt("max-attempts"), config.getDuration("initial-backoff"), config.getDuration("max-backoff"),
          config.getDuration("poll-interval"), config.getDuration("call-timeout"));
    }

    /** The wait after failed attempt {@code attempt} (1-based): doubling from the initial backoff, at most the maximum. */
    Duration backoff(int attempt) {
      long factor = 1L << Math.min(attempt - 1, 30);
      Duration wait = initialBackoff.multipliedBy(factor);
      return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
  }

  private final ActorSystem<?> system;
  private final WebhookStore store;
  private final JobService jobs;
  private final WebhookTarget target;
  private final Settings settings;
  private final Clock clock;
  private final Executor blocking;
  private final Map<String, Counter> outcomes;
  private final AtomicBoolean polling = new AtomicBoolean();

  WebhookDeliverer(ActorSystem<?> system, WebhookStore store, JobService jobs, WebhookTarget target, Settings settings, Clock clock,
      Executor blocking, MeterRegistry meters) {
    this.system = system;
    this.store = store;
    this.jobs = jobs;
    this.target = target;
    this.settings = settings;
    this.clock = clock;
    this.blocking = blocking;
    this.outcomes = Map.of("delivered", outcome(meters, "delivered"), "retry", outcome(meters, "retry"), "dead", outcome(meters, "dead"));
  }

  private static Counter outcome(MeterRegistry meters, String outcome) {
    return Counter.builder("jobcluster_webhook_deliveries").description("Webhook delivery attempts by outcome: delivered (2xx), retry"
        + " (tried again later), dead (given up)").tag("outcome", outcome).register(meters);
  }

  void start() {
    system.scheduler().scheduleWithFixedDelay(settings.pollInterval(), settings.pollInterval(), this::poll, system.executionContext());
  }

  /** One round: the due deliveries this node claims, all attempted; a round never overlaps the previous one. */
  CompletionStage<Void> poll() {
    if (!polling.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    Instant now = clock.instant();
    return store.due(now, BATCH)
        .thenCompose(this::attemptAll)
        .whenComplete((done, failure) -> {
          polling.set(false);
          if (failure != null) {
            log.warn("webhook round failed: {}", failure.toString());
          }
        });
  }

  private CompletionStage<Void> attemptAll(List<WebhookStore.Due> due) {
    CompletableFuture<?>[] attempts = due.stream().map(d -> claimAndAttempt(d).toCompletableFuture()).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(attempts);
  }

  private CompletionStage<Void> claimAndAttempt(WebhookStore.Due due) {
    Instant now = clock.instant();
    // Claimed past the call's end, so no other node tries while this attempt may still be running.
    Instant claimUntil = now.plus(settings.callTimeout()).plus(settings.callTimeout()).plusSeconds(5);
    return store.claim(due, now, claimUntil).thenCompose(claimed -> claimed ? attempt(due, due.attempts() + 1) : CompletableFuture.completedFuture(null))
        .exceptionally(failure -> {
          log.warn("webhook attempt failed jobId={} seqNr={}: {}", due.jobId(), due.seqNr(), failure.toString());
          return null;
        });
  }

  private CompletionStage<Void> attempt(WebhookStore.Due due, int attempt) {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    return call(due).handle((status, failure) -> {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      boolean delivered = cause == null && status / 100 == 2;
      String error = cause != null ? describe(cause) : delivered ? null : "answered " + status;
      boolean refused = cause instanceof WebhookTarget.RefusedException;
      String state = delivered ? "delivered" : refused || attempt >= settings.maxAttempts() ? "dead" : "pending";
      Instant next = state.equals("pending") ? clock.instant().plus(settings.backoff(attempt)) : clock.instant();
      outcomes.get(state.equals("pending") ? "retry" : state).increment();
      log.info("webhook attempt jobId={} seqNr={} attempt={} status={} outcome={} durationMs={}", due.jobId(), due.seqNr(), attempt,
          cause == null ? status : "-", state, millis);
      return store.record(due, new WebhookAttempt(attempt, started, millis, cause == null ? status : null, error), state, next);
    }).thenCompose(recorded -> recorded);
  }

  /** One POST of the job's view; the answer's status. */
  private CompletionStage<Integer> call(WebhookStore.Due due) {
    URI url = URI.create(due.url());
    CompletionStage<String> body = jobs.get(null, due.jobId()).thenApply(reply -> {
      if (!(reply instanceof JobReply.Accepted accepted)) {
        throw new IllegalStateException("the job is gone (deleted)");
      }
      JobView view = accepted.job();
      return NodeJson.write(JobJson.of(view.withPayload(PayloadRedaction.forView(view.type(), view.payload()))));
    });
    CompletionStage<String> secret = store.secret(due.tenant()).thenApply(found -> found.orElseThrow(
        () -> new IllegalStateException("the tenant has no webhook secret yet (POST /v1/admin/tenants/{tenant}/webhook-secret)")));
    CompletionStage<InetAddress> address = CompletableFuture.supplyAsync(() -> resolve(url), blocking);
    return body.thenCombine(secret, (json, key) -> new String[] {json, key})
        .thenCombine(address, (signed, resolved) -> send(url, resolved, signed[0], signed[1]))
        .thenCompose(sent -> sent);
  }

  private InetAddress resolve(URI url) {
    try {
      return target.resolve(url);
    } catch (UnknownHostException e) {
      throw new CompletionException(e);
    }
  }

  private CompletionStage<Integer> send(URI url, InetAddress address, String body, String secret) {
    HttpRequest request = HttpRequest.POST(url.toString())
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body))
        .addHeader(RawHeader.create(WebhookSignature.HEADER, WebhookSignature.header(secret, clock.instant().getEpochSecond(), body)));
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
    // Connect to the address that was checked, never resolved again; Host, SNI and certificates use the URL's host.
    ClientTransport pinned = ClientTransport.withCustomResolver(
        (host, p) -> CompletableFuture.completedFuture(new InetSocketAddress(address, (Integer) p)));
    OutgoingConnectionBuilder connection = Http.get(system).connectionTo(url.getHost()).toPort(port)
        .withClientConnectionSettings(ClientConnectionSettings.create(system.classicSystem()).withTransport(pinned).withConnectingTimeout(settings.callTimeout()));
    return Source.single(request)
        .via(https ? connection.https() : connection.http())
        .completionTimeout(settings.callTimeout())
        .runWith(Sink.head(), system)
        .thenCompose(this::status);
  }

  /** The answer's status, once its body is read and dropped (which frees the connection). */
  private CompletionStage<Integer> status(HttpResponse response) {
    return response.discardEntityBytes(system).completionStage().thenApply(done -> response.status().intValue());
  }

  private static String describe(Throwable cause) {
    if (cause instanceof TimeoutException) {
      return "no answer in time";
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
