package io.jobcluster.node.worker.handler;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code http} {@code {url, method, headers, body, expectStatus}}: one real outbound call (see
 * {@link HttpCall} for the payload, {@link HttpOutcome} for what a status means). Timeouts and
 * connection errors are retryable, invalid payloads are not. The call
 * times out with the lease (at most 60 s) and heartbeats meanwhile; cancellation or a lost lease
 * aborts it in flight.
 *
 * <p>Every call carries {@value #JOB_ID_HEADER}, {@value #ATTEMPT_HEADER} and {@value #WORKER_HEADER}
 * (which holds the node's cluster address), so a receiver can recognise a repeated execution of
 * the same job: after a node dies mid-call, the job runs again elsewhere.
 *
 * <p>Logs name the host and job only: URLs and header values may carry credentials.
 */
public final class HttpHandler implements JobHandler {

  public static final String TYPE = "http";
  public static final String JOB_ID_HEADER = "X-Jobcluster-Job-Id";
  public static final String ATTEMPT_HEADER = "X-Jobcluster-Attempt";
  public static final String WORKER_HEADER = "X-Jobcluster-Worker";
  static final int BODY_LIMIT_BYTES = 64 * 1024;
  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration DEFAULT_MAX_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);

  private final HttpClient client;
  private final Duration maxRequestTimeout;

  public HttpHandler() {
    this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_REQUEST_TIMEOUT);
  }

  /**
   * @param connectTimeout how long establishing a connection may take
   * @param maxRequestTimeout the longest a call may take; a shorter lease timeout shortens it, so a
   *     call never outlives the lease it runs under
   */
  public HttpHandler(Duration connectTimeout, Duration maxRequestTimeout) {
    // HTTP/1.1: no h2c upgrade attempt against plain-http servers that mishandle it.
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    this.maxRequestTimeout = maxRequestTimeout;
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
    Duration timeout = leaseTimeout.compareTo(maxRequestTimeout) < 0 ? leaseTimeout : maxRequestTimeout;
    // The client refuses a zero timeout; a lease that short is a configuration error elsewhere.
    return timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
  }

  /** Why a call was cut short by us rather than ended by the server or the network. */
  private enum Abort {
    CANCELLED,
    LEASE_LOST,
    // The client's own timeout ends at the response headers; this one also bounds a trickling body.
    TIMED_OUT
  }

  /** One attempt's call: the exchange in flight, its lease keeper and deadline, why it was cut short. */
  private final class Call {
    private final JobContext context;
    private final HttpCall call;
    private final Duration timeout;
    private final AtomicReference<Abort> abort = new AtomicReference<>();
    private CompletableFuture<HttpResponse<String>> response;
    private LeaseKeeper lease;
    private ScheduledFuture<?> deadline;

    Call(JobContext context, HttpCall call, Duration timeout) {
      this.context = context;
      this.call = call;
      this.timeout = timeout;
    }

    CompletionStage<HandlerResult> start() {
      log.debug("http call jobId={} attempt={} method={} host={}",
          context.jobId(), context.attempt(), call.method(), call.target());
      response = client.sendAsync(call.toRequest(timeout, identity(context)), BodyPrefixSubscriber.handler(BODY_LIMIT_BYTES));
      deadline = context.scheduler().schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
      // The call ends within the lease, but heartbeats keep its result from racing the lease's end.
      lease = LeaseKeeper.start(context, () -> null, this::leaseLost);
      context.cancellation().thenRun(this::cancelled);
      return response.handle(this::settle);
    }

    private HandlerResult settle(HttpResponse<String> answer, Throwable error) {
      deadline.cancel(false);
      lease.stop();
      return error == null ? answered(answer) : failure(error);
    }

    private HandlerResult answered(HttpResponse<String> answer) {
      log.debug("http call answered jobId={} attempt={} host={} status={}",
          context.jobId(), context.attempt(), call.target(), answer.statusCode());
      return HttpOutcome.of(answer.statusCode(), answer.body(), call.expectStatus());
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
      // Cancelling the client's future aborts the exchange and closes its connection.
      if (abort.compareAndSet(null, reason)) {
        response.cancel(true);
      }
    }

    private HandlerResult failure(Throwable error) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      Abort reason = cause instanceof CancellationException ? abort.get() : null;
      if (reason == Abort.CANCELLED || reason == Abort.LEASE_LOST) {
        log.debug("http call aborted jobId={} attempt={} host={} reason={}",
            context.jobId(), context.attempt(), call.target(), reason);
        return reason == Abort.CANCELLED
            ? HandlerResult.failure("cancelled", false)
            : HandlerResult.failure("lease lost", true);
      }
      log.info("http call failed jobId={} attempt={} host={} error={}",
          context.jobId(), context.attempt(), call.target(),
          reason == Abort.TIMED_OUT ? "timeout" : cause.getClass().getSimpleName());
      if (reason == Abort.TIMED_OUT || cause instanceof HttpTimeoutException) {
        return HandlerResult.failure("http call timed out (limit " + timeout.toMillis() + " ms)", true);
      }
      if (cause instanceof IOException) {
        return HandlerResult.failure("http call failed: " + describe(cause), true);
      }
      // Anything else (e.g. the client refusing the request) will fail the same way next time.
      return HandlerResult.failure("http call failed: " + describe(cause), false);
    }
  }

  /** Which job, attempt and worker make the call: for receivers that deduplicate. */
  static Map<String, String> identity(JobContext context) {
    return Map.of(JOB_ID_HEADER, context.jobId(),
        ATTEMPT_HEADER, Integer.toString(context.attempt()),
        WORKER_HEADER, context.workerId());
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    String name = error.getClass().getSimpleName();
    return message == null || message.isBlank() ? name : name + ": " + message;
  }
}
