package io.jobcluster.bench.load;

import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.client.BatchItem;
import io.jobcluster.protocol.client.JobclusterClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Submits at a fixed rate without ever waiting for an answer before the next request is due
 * (asynchronous requests), and times every answer, and for callback jobs every start, from the
 * moment its request was due ({@link LatencyRecorder}).
 */
public final class OpenLoopLoad {
  private static final Duration ANSWER_WAIT = LoadClients.REQUEST_TIMEOUT.plusSeconds(10);
  /**
   * Requests unanswered at once, at most. Past it the next request waits for an answer (its latency
   * still counts from its due time): without a bound a stalled node gets a new connection per due
   * request, hundreds at once, more than its listen backlog takes, and the load measures connect
   * timeouts instead of the node.
   */
  public static final int MAX_IN_FLIGHT = 256;

  private final LoadTask.OpenLoop task;
  private final LoadClients clients;
  private final CallbackServer callbacks;
  private final int batch;
  private final long warmupRequests;
  private final long requests;
  private final long[] due;
  // Per request: jobs accepted, or -1 while unanswered.
  private final AtomicLongArray accepted;
  private final LatencyRecorder requestLatency = new LatencyRecorder();
  private final Failures failures = new Failures();
  private final AtomicLong lastAnswer = new AtomicLong();
  private final Instant base = Instant.now();
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

  private OpenLoopLoad(LoadTask.OpenLoop task, CallbackServer callbacks) {
    this.task = task;
    this.clients = LoadClients.connect(task.target());
    this.callbacks = callbacks;
    this.batch = Math.max(1, task.batchSize());
    FixedRate rate = new FixedRate(task.jobsPerSecond() / batch);
    this.warmupRequests = rate.countWithin(task.warmup());
    this.requests = warmupRequests + rate.countWithin(task.duration());
    this.due = new long[Math.toIntExact(requests)];
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    for (int i = 0; i < due.length; i++) {
      due[i] = start + rate.dueNanos(i);
    }
    this.accepted = new AtomicLongArray(due.length);
  }

  static OpenLoopResult run(LoadTask.OpenLoop task) {
    long jobs = (long) Math.ceil((task.warmup().toNanos() + task.duration().toNanos()) / 1e9 * task.jobsPerSecond()) + task.batchSize();
    try (CallbackServer callbacks = task.shape().callsBack() ? CallbackServer.start(Math.toIntExact(jobs)) : null) {
      return new OpenLoopLoad(task, callbacks).run();
    }
  }

  private OpenLoopResult run() {
    long firstDueEpochMillis = System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(due[0] - System.nanoTime());
    long maxLag = 0;
    List<CompletableFuture<?>> answers = new ArrayList<>(due.length);
    for (int i = 0; i < due.length; i++) {
      accepted.set(i, -1);
      long wait;
      while ((wait = due[i] - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      inFlight.acquireUninterruptibly();
      maxLag = Math.max(maxLag, System.nanoTime() - due[i]);
      answers.add(send(i));
    }
    awaitAnswers(answers);
    long acceptedJobs = 0;
    long answered = 0;
    for (int i = (int) warmupRequests; i < due.length; i++) {
      if (accepted.get(i) >= 0) {
        answered++;
        acceptedJobs += accepted.get(i);
      }
    }
    Histogram starts = callbacks == null ? null : startLatency(acceptedJobs);
    long missing = starts == null ? 0 : Math.max(0, acceptedJobs - starts.getTotalCount());
    return new OpenLoopResult(task.jobsPerSecond(), batch, requests - warmupRequests, answered, (requests - warmupRequests) * batch,
        acceptedJobs, failures.snapshot(), HistogramCodec.encode(requestLatency.snapshot()),
        starts == null ? null : HistogramCodec.encode(starts), missing,
        callbacks == null ? 0 : callbacks.repeated(), TimeUnit.NANOSECONDS.toMicros(maxLag), firstDueEpochMillis, lastAnswer.get());
  }

  private CompletableFuture<?> send(int i) {
    JobclusterClient client = clients.pick(i);
    long total = requests * batch;
    if (batch == 1) {
      return client.submitAsync(task.shape().request(i, total, base, callbacks))
          .handle((submission, failure) -> answered(i, failure == null ? 1 : 0, failure));
    }
    List<JobRequest> jobs = new ArrayList<>(batch);
    for (int k = 0; k < batch; k++) {
      jobs.add(task.shape().request((long) i * batch + k, total, base, callbacks));
    }
    return client.submitBatchAsync(jobs).handle((items, failure) -> answered(i, failure == null ? acceptedOf(items) : 0, failure));
  }

  private long acceptedOf(List<BatchItem> items) {
    long ok = 0;
    for (BatchItem item : items) {
      if (item.accepted()) {
        ok++;
      } else {
        failures.add(item.error(), item.status());
      }
    }
    return ok;
  }

  private Void answered(int i, long jobsAccepted, Throwable failure) {
    long now = System.nanoTime();
    inFlight.release();
    lastAnswer.accumulateAndGet(System.currentTimeMillis(), Math::max);
    if (i < warmupRequests) {
      accepted.set(i, 0);
      return null;
    }
    if (failure != null) {
      failures.add(failure);
      // An unanswered request stays at -1: it is counted as sent, not answered.
      return null;
    }
    requestLatency.record(due[i], now);
    accepted.set(i, jobsAccepted);
    return null;
  }

  private void awaitAnswers(List<CompletableFuture<?>> answers) {
    try {
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      failures.add("unanswered after " + ANSWER_WAIT.toSeconds() + " s", answers.stream().filter(f -> !f.isDone()).count());
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("an answer handler failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for answers", e);
    }
  }

  /** Start latency of the recorded part's accepted jobs: due time of the request that carried the job to its first call. */
  private Histogram startLatency(long expected) {
    long warmupJobs = warmupRequests * batch;
    callbacks.awaitArrivals(warmupJobs + expected, task.callbackWait());
    LatencyRecorder starts = new LatencyRecorder();
    for (long job = warmupJobs; job < requests * batch; job++) {
      if (callbacks.arrived(job)) {
        starts.record(due[(int) (job / batch)], callbacks.arrivalNanos(job));
      }
    }
    return starts.snapshot();
  }
}
