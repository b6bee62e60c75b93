package io.jobcluster.node.worker.handler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.pattern.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What guards the calls to each target host ({@code host:port}) on this node: a circuit breaker
 * (Pekko's) and the places for calls in flight. At most {@code maxHosts} hosts are kept, the least
 * recently called forgotten first (idle ones with a closed breaker before others), so URLs to ever
 * new hosts cannot grow memory or metric series without bound.
 *
 * <p>Metrics: {@code jobcluster_http_breaker_state{host}} (0 closed, 1 half-open, 2 open) for the hosts
 * kept, {@code jobcluster_http_breaker_transitions_total{state}}, {@code
 * jobcluster_http_calls_short_circuited_total} and {@code jobcluster_http_retry_after_total}. Logs
 * name the host only: a URL's path and query may carry credentials.
 */
final class HostGuards {

  private static final Logger log = LoggerFactory.getLogger(HostGuards.class);

  /** A host's breaker state as its gauge reports it. */
  enum BreakerState {
    CLOSED, HALF_OPEN, OPEN
  }

  /** One host's breaker and places. */
  final class HostGuard {
    private final String host;
    private final CircuitBreaker breaker;
    private final HostSlots slots;
    private final Gauge gauge;
    private volatile BreakerState state = BreakerState.CLOSED;

    private HostGuard(String host) {
      this.host = host;
      this.slots = new HostSlots(limits.maxCallsPerHost());
      // No exponential backoff of the reset: Pekko's open breaker then reports the doubled timeout as the
      // time left, while it half-opens after the one in effect, and the job's retry time would be wrong.
      this.breaker = CircuitBreaker.create(scheduler, limits.breakerMaxFailures(), callTimeout, limits.breakerResetTimeout())
          .addOnOpenListener(() -> changed(BreakerState.OPEN))
          .addOnHalfOpenListener(() -> changed(BreakerState.HALF_OPEN))
          .addOnCloseListener(() -> changed(BreakerState.CLOSED))
          .addOnCallBreakerOpenListener(shortCircuited::increment);
      this.gauge = meters == null ? null : Gauge.builder("jobcluster.http.breaker.state", this, guard -> guard.state.ordinal())
          .description("Circuit breaker of http jobs' calls to a host: 0 closed, 1 half-open, 2 open")
          .tag("host", host)
          .register(meters);
    }

    private void changed(BreakerState next) {
      state = next;
      transitions.get(next).increment();
      if (next == BreakerState.CLOSED) {
        log.info("http circuit breaker closed host={}", host);
      } else {
        log.warn("http circuit breaker {} host={}", next == BreakerState.OPEN ? "opened" : "half-open", host);
      }
    }

    String host() {
      return host;
    }

    CircuitBreaker breaker() {
      return breaker;
    }

    HostSlots slots() {
      return slots;
    }

    BreakerState state() {
      return state;
    }

    private boolean forgettable() {
      return slots.idle() && state == BreakerState.CLOSED;
    }

    private void forget() {
      if (gauge != null) {
        meters.remove(gauge);
      }
    }
  }

  private final Scheduler scheduler;
  private final HttpJobSettings.HostLimits limits;
  private final Duration callTimeout;
  private final MeterRegistry meters;
  private final Map<BreakerState, Counter> transitions = new LinkedHashMap<>();
  private final Counter shortCircuited;
  private final Counter retryAfter;
  // Access order: the eldest is the least recently called.
  private final LinkedHashMap<String, HostGuard> hosts = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * @param callTimeout when the breaker counts a call as failed although it has not ended: later than
   *     the call's own deadline, so the call's own timeout decides
   * @param meters where the metrics go; null for none
   */
  HostGuards(Scheduler scheduler, HttpJobSettings.HostLimits limits, Duration callTimeout, MeterRegistry meters) {
    this.scheduler = scheduler;
    this.limits = limits;
    this.callTimeout = callTimeout;
    this.meters = meters;
    MeterRegistry registry = meters != null ? meters : new SimpleMeterRegistry();
    for (BreakerState state : BreakerState.values()) {
      transitions.put(state, Counter.builder("jobcluster.http.breaker.transitions")
          .description("Circuit breaker state changes of http jobs' target hosts, by the state entered")
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .register(registry));
    }
    shortCircuited = Counter.builder("jobcluster.http.calls.short.circuited")
        .description("http job calls failed fast, not made, because their host's circuit breaker was open")
        .register(registry);
    retryAfter = Counter.builder("jobcluster.http.retry.after")
        .description("http job attempts whose next attempt waits for the server's Retry-After")
        .register(registry);
  }

  /** The guard of {@code host}, made on first use. */
  synchronized HostGuard of(String host) {
    HostGuard guard = hosts.get(host);
    if (guard == null) {
      guard = new HostGuard(host);
      hosts.put(host, guard);
      if (hosts.size() > limits.maxHosts()) {
        evictOne(guard);
      }
    }
    return guard;
  }

  private void evictOne(HostGuard newest) {
    Iterator<HostGuard> eldestFirst = hosts.values().iterator();
    HostGuard victim = null;
    while (eldestFirst.hasNext()) {
      HostGuard candidate = eldestFirst.next();
      if (candidate != newest && candidate.forgettable()) {
        victim = candidate;
        eldestFirst.remove();
        break;
      }
    }
    if (victim == null) {
      // Every host is busy or failing: forget the least recently called all the same, to stay bounded.
      Iterator<HostGuard> eldest = hosts.values().iterator();
      victim = eldest.next();
      eldest.remove();
    }
    victim.forget();
  }

  synchronized int size() {
    return hosts.size();
  }

  synchronized boolean knows(String host) {
    return hosts.containsKey(host);
  }

  void retryAfterHonoured() {
    retryAfter.increment();
  }
}
