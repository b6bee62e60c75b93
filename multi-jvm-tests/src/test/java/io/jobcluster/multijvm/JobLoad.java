package io.jobcluster.multijvm;

import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.client.JobclusterApiException;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.client.Submission;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Submits {@code http} jobs that call the {@link ExecutionLedger}, spread over the nodes running
 * at each moment, the way a careful client would: every job has its own idempotency key, and a
 * submission refused (429, 503, 5xx) or unanswered (connection refused, timeout) is sent again,
 * with the same key, to the next node, until it is acknowledged or {@link #GIVE_UP_AFTER} passes.
 * A job whose first answer was lost is therefore never created twice, and every acknowledged job
 * id is recorded.
 */
public final class JobLoad {
  public static final Duration GIVE_UP_AFTER = Duration.ofSeconds(120);
  /** Lease timeout of every job: short, so lease expiry is a bounded backstop, long enough never to cut a held call. */
  public static final int TIMEOUT_SECONDS = 30;
  private static final int SUBMITTERS = 12;
  private static final Duration TICK = Duration.ofMillis(50);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);
  private static final Duration LONGEST_RETRY_PAUSE = Duration.ofSeconds(2);

  /**
   * One acknowledged job: its index in the load, idempotency key, id, the node that answered, and
   * its hold; {@code took} is from its first try until the acknowledgement, retries included.
   */
  public record Acknowledged(int index, String key, String jobId, String node, Instant at, Duration hold, boolean created, Duration took) {}

  /**
   * What happened to a load.
   *
   * @param acknowledged by job id
   * @param gaveUp submissions never acknowledged (by index), with the last error
   * @param refusals answers that made the load try again, by kind ({@code 503}, {@code io}, ...)
   */
  public record Outcome(int submitted, Map<String, Acknowledged> acknowledged, Map<Integer, String> gaveUp, Map<String, Long> refusals,
                        Duration took) {
    public Outcome {
      acknowledged = Map.copyOf(acknowledged);
      gaveUp = Map.copyOf(new TreeMap<>(gaveUp));
      refusals = Map.copyOf(new TreeMap<>(refusals));
    }

    /** Acknowledgements that named an existing job: the first answer to the same key was lost. */
    public long replayed() {
      return acknowledged.values().stream().filter(ack -> !ack.created()).count();
    }
  }

  /** A load being submitted in the background. */
  public final class Running {
    private final CompletableFuture<Outcome> outcome;
    private final ScheduledExecutorService pacer;

    private Running(CompletableFuture<Outcome> outcome, ScheduledExecutorService pacer) {
      this.outcome = outcome;
      this.pacer = pacer;
    }

    public int acknowledgedSoFar() {
      return acknowledged.size();
    }

    /** Whether every job of the load was acknowledged or given up. */
    public boolean isDone() {
      return outcome.isDone();
    }

    /** Waits until every job of the load was acknowledged or given up. */
    public Outcome await(Duration timeout) {
      try {
        return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("the load was still submitting after " + timeout + ": " + acknowledged.size() + " acknowledged", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the load failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the load", e);
      } finally {
        pacer.shutdownNow();
      }
    }
  }

  private final String keyPrefix;
  private final Supplier<List<NodeProcess>> targets;
  private final Function<NodeProcess, JobclusterClient> clients;
  private final ExecutionLedger ledger;
  private final HoldMix mix;
  private final Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
  private final Map<Integer, String> gaveUp = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();

  /**
   * @param keyPrefix makes the idempotency keys (and so the job ids) of this load its own
   * @param targets the nodes to submit to, asked again for every try (a stopped node drops out)
   * @param clients a client with the tenant's key for a node
   */
  public JobLoad(String keyPrefix, Supplier<List<NodeProcess>> targets, Function<NodeProcess, JobclusterClient> clients,
      ExecutionLedger ledger, HoldMix mix) {
    this.keyPrefix = keyPrefix;
    this.targets = targets;
    this.clients = clients;
    this.ledger = ledger;
    this.mix = mix;
  }

  /** Submits {@code n} jobs as fast as the submitters go and waits for all answers. */
  public Outcome submitAll(int n) {
    return steady(n, Double.POSITIVE_INFINITY).await(GIVE_UP_AFTER.multipliedBy(2));
  }

  /** Starts submitting {@code n} jobs at {@code perSecond} and returns at once. */
  public Running steady(int n, double perSecond) {
    ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    AtomicInteger released = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    long started = System.nanoTime();
    Runnable release = () -> {
      double elapsedSeconds = (System.nanoTime() - started) / 1e9;
      long due = Double.isInfinite(perSecond) ? n : Math.min(n, (long) Math.ceil(elapsedSeconds * perSecond));
      while (released.get() < due) {
        int index = released.getAndIncrement();
        submitters.execute(() -> {
          try {
            submitOne(index);
          } catch (RuntimeException e) {
            gaveUp.put(index, e.toString());
          } finally {
            if (finished.incrementAndGet() == n) {
              outcome.complete(outcome(n, Duration.ofNanos(System.nanoTime() - started)));
            }
          }
        });
      }
    };
    if (n == 0) {
      outcome.complete(outcome(0, Duration.ZERO));
    }
    pacer.scheduleAtFixedRate(release, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    outcome.whenComplete((result, failure) -> submitters.shutdown());
    return new Running(outcome, pacer);
  }

  /** The request for job {@code index}: a call the ledger holds for the mix's duration. */
  public JobRequest request(int index) {
    String payload = "{\"url\":\"" + ledger.url(mix.holdOf(index)) + "\"}";
    return JobRequest.of("http").withPayload(payload).withTimeoutSeconds(TIMEOUT_SECONDS);
  }

  private void submitOne(int index) {
    String key = keyPrefix + "-" + index;
    JobRequest request = request(index);
    long firstTry = System.nanoTime();
    long deadline = firstTry + GIVE_UP_AFTER.toNanos();
    String lastError = "no node was running";
    for (int attempt = 0; System.nanoTime() - deadline < 0; attempt++) {
      List<NodeProcess> nodes = targets.get();
      if (nodes.isEmpty()) {
        Poll.pause(RETRY_PAUSE);
        continue;
      }
      NodeProcess node = nodes.get(Math.floorMod(index + attempt, nodes.size()));
      try {
        Submission answer = clients.apply(node).submit(request, key);
        acknowledged.put(answer.job().id(),
            new Acknowledged(index, key, answer.job().id(), node.name(), Instant.now(), mix.holdOf(index), answer.created(),
                Duration.ofNanos(System.nanoTime() - firstTry)));
        return;
      } catch (JobclusterApiException e) {
        if (e.status() != 429 && e.status() < 500) {
          // The request itself is wrong: sending it again cannot help.
          gaveUp.put(index, e.getMessage());
          return;
        }
        lastError = e.getMessage();
        count(Integer.toString(e.status()));
        Duration wait = e.retryAfter().orElse(RETRY_PAUSE);
        Poll.pause(wait.compareTo(LONGEST_RETRY_PAUSE) > 0 ? LONGEST_RETRY_PAUSE : wait);
      } catch (UncheckedIOException e) {
        lastError = e.getMessage();
        count("io");
        Poll.pause(RETRY_PAUSE);
      }
    }
    gaveUp.put(index, lastError);
  }

  private void count(String kind) {
    refusals.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
  }

  private Outcome outcome(int n, Duration took) {
    Map<String, Long> counted = new TreeMap<>();
    refusals.forEach((kind, count) -> counted.put(kind, count.get()));
    return new Outcome(n, acknowledged, gaveUp, counted, took);
  }
}
