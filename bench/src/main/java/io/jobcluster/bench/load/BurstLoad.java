package io.jobcluster.bench.load;

import io.jobcluster.bench.Workers;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.client.BatchItem;
import io.jobcluster.protocol.client.JobclusterApiException;
import io.jobcluster.protocol.client.JobclusterClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Submits a fixed number of jobs as fast as the nodes take them: concurrent submitters, each
 * sending one batch and waiting for its answer before the next (how an ETL step or an importer
 * would). Jobs a node refuses with 429 or 503 are sent again after the wait it asked for.
 */
final class BurstLoad {
  private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);
  private static final Duration DEFAULT_RETRY_WAIT = Duration.ofMillis(200);

  private final LoadTask.Burst task;
  private final LoadClients clients;
  private final CallbackServer callbacks;
  private final Instant base = Instant.now();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong lastAccepted = new AtomicLong();
  // The accept time of every job (epoch ms, 0 = not accepted), to tell jobs accepted after their runAt.
  private final AtomicLongArray acceptedAt;
  private final AtomicReferenceArray<String> sampleIds;
  private final int sampleStride;
  private final Failures failures = new Failures();

  private BurstLoad(LoadTask.Burst task, CallbackServer callbacks) {
    this.task = task;
    this.clients = LoadClients.connect(task.target());
    this.callbacks = callbacks;
    this.acceptedAt = new AtomicLongArray(task.jobs());
    this.sampleStride = task.sampleGets() <= 0 ? Integer.MAX_VALUE : Math.max(1, task.jobs() / task.sampleGets());
    this.sampleIds = new AtomicReferenceArray<>(task.sampleGets() <= 0 ? 0 : task.jobs() / sampleStride + 1);
  }

  static BurstResult run(LoadTask.Burst task) {
    try (CallbackServer callbacks = task.shape().callsBack() ? CallbackServer.start(task.jobs()) : null) {
      return new BurstLoad(task, callbacks).run();
    }
  }

  private BurstResult run() {
    long first = System.currentTimeMillis();
    Workers.runAll(task.submitters(), s -> submitAll(clients.pick(s)));
    BurstResult.SampleGets gets = task.sampleGets() > 0 ? SampleReader.read(clients, sampleIds) : null;
    BurstResult.Lateness lateness = callbacks != null && task.shape().runAtLead() != null ? lateness() : null;
    return new BurstResult(task.jobs(), accepted.get(), retried.get(), failures.snapshot(), first, lastAccepted.get(), gets, lateness);
  }

  private void submitAll(JobclusterClient client) {
    int start;
    while ((start = next.getAndAdd(task.batchSize())) < task.jobs()) {
      List<Integer> indexes = new ArrayList<>();
      for (int i = start; i < Math.min(task.jobs(), start + task.batchSize()); i++) {
        indexes.add(i);
      }
      submitUntilTaken(client, indexes);
    }
  }

  /** Sends the jobs, then again those refused for now, until none is left or the give-up time passed. */
  private void submitUntilTaken(JobclusterClient client, List<Integer> indexes) {
    long giveUp = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    List<Integer> left = indexes;
    while (!left.isEmpty()) {
      List<JobRequest> requests = left.stream().map(i -> task.shape().request(i, task.jobs(), base, callbacks)).toList();
      Duration wait = DEFAULT_RETRY_WAIT;
      List<Integer> refused = new ArrayList<>();
      try {
        List<BatchItem> items = client.submitBatch(requests);
        long now = System.currentTimeMillis();
        for (BatchItem item : items) {
          int job = left.get(item.index());
          if (item.accepted()) {
            taken(job, item.job().id(), now);
          } else if (item.status() == 429 || item.status() == 503) {
            refused.add(job);
          } else {
            failures.add(item.error(), item.status());
          }
        }
      } catch (JobclusterApiException e) {
        if (e.status() != 429 && e.status() != 503) {
          failures.add(e.status() + " " + e.error(), left.size());
          return;
        }
        refused = left;
        wait = e.retryAfter().filter(d -> !d.isZero()).orElse(DEFAULT_RETRY_WAIT);
      } catch (RuntimeException e) {
        // Timed out or cut off: the jobs may have been taken, so they are not sent again.
        failures.add(Failures.kind(e), left.size());
        return;
      }
      if (!refused.isEmpty() && System.nanoTime() - giveUp >= 0) {
        failures.add("still refused after " + GIVE_UP_AFTER.toMinutes() + " min", refused.size());
        return;
      }
      retried.addAndGet(refused.size());
      left = refused;
      if (!left.isEmpty()) {
        LockSupport.parkNanos(wait.toNanos());
      }
    }
  }

  private void taken(int job, String id, long now) {
    accepted.incrementAndGet();
    acceptedAt.set(job, now);
    lastAccepted.accumulateAndGet(now, Math::max);
    if (sampleIds.length() > 0 && job % sampleStride == 0) {
      sampleIds.set(job / sampleStride, id);
    }
  }

  private BurstResult.Lateness lateness() {
    callbacks.awaitArrivals(accepted.get(), task.callbackWait());
    LatencyRecorder late = new LatencyRecorder();
    long early = 0;
    long earliest = 0;
    long submittedLate = 0;
    for (int job = 0; job < task.jobs(); job++) {
      Instant runAt = task.shape().runAt(job, task.jobs(), base);
      if (acceptedAt.get(job) == 0 || !callbacks.arrived(job)) {
        continue;
      }
      if (acceptedAt.get(job) > runAt.toEpochMilli()) {
        submittedLate++;
        continue;
      }
      long micros = TimeUnit.NANOSECONDS.toMicros(Duration.between(runAt, callbacks.wallClock(callbacks.arrivalNanos(job))).toNanos());
      if (micros < 0) {
        early++;
        earliest = Math.min(earliest, micros);
      }
      late.recordMicros(micros);
    }
    return new BurstResult.Lateness(accepted.get(), callbacks.arrived(), callbacks.repeated(), early, earliest, submittedLate,
        HistogramCodec.encode(late.snapshot()));
  }
}
