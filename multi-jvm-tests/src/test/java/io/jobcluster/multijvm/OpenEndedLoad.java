package io.jobcluster.multijvm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A steady load with no size set in advance, for disturbances that take as long as they take
 * (a rolling restart, a soak): a {@link JobLoad} chunk of {@link #CHUNK} worth of jobs is started
 * every {@link #CHUNK} until {@link #stop()}, each with its own idempotency key prefix
 * ({@code prefix-0}, {@code prefix-1}, ...), so chunks still retrying never hold back the pace.
 * Finished chunks are collected as the load goes, so an hour of load holds only a few at a time.
 */
public final class OpenEndedLoad {
  public static final Duration CHUNK = Duration.ofSeconds(10);

  private record Chunk(int number, JobLoad.Running running) {}

  private final ChaosCluster chaos;
  private final String prefix;
  private final HoldMix mix;
  private final double perSecond;
  private final int chunkJobs;
  // Guarded by this: the starter thread adds and collects, test threads read and await.
  private final List<Chunk> open = new ArrayList<>();
  private final Map<Integer, JobLoad.Outcome> finished = new HashMap<>();
  private int started;
  private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor();
  private final long startNanos = System.nanoTime();

  private OpenEndedLoad(ChaosCluster chaos, String prefix, HoldMix mix, double perSecond) {
    this.chaos = chaos;
    this.prefix = prefix;
    this.mix = mix;
    this.perSecond = perSecond;
    this.chunkJobs = (int) Math.ceil(perSecond * CHUNK.toMillis() / 1000.0);
  }

  /** Starts submitting {@code perSecond} jobs of {@code mix} to the running nodes and returns at once. */
  public static OpenEndedLoad start(ChaosCluster chaos, String prefix, HoldMix mix, double perSecond) {
    OpenEndedLoad load = new OpenEndedLoad(chaos, prefix, mix, perSecond);
    load.starter.scheduleAtFixedRate(load::nextChunk, 0, CHUNK.toMillis(), TimeUnit.MILLISECONDS);
    return load;
  }

  private synchronized void nextChunk() {
    collectFinished();
    int number = started++;
    open.add(new Chunk(number, chaos.load(prefix + "-" + number, mix).steady(chunkJobs, perSecond)));
  }

  private void collectFinished() {
    open.removeIf(chunk -> {
      if (chunk.running().isDone()) {
        finished.put(chunk.number(), chunk.running().await(Duration.ZERO));
        return true;
      }
      return false;
    });
  }

  public synchronized int acknowledgedSoFar() {
    return open.stream().mapToInt(chunk -> chunk.running().acknowledgedSoFar()).sum()
        + finished.values().stream().mapToInt(outcome -> outcome.acknowledged().size()).sum();
  }

  public double perSecond() {
    return perSecond;
  }

  public HoldMix mix() {
    return mix;
  }

  /** Starts no more chunks; the chunks under way submit their remaining jobs. */
  public void stop() {
    starter.shutdownNow();
    try {
      if (!starter.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the load's chunk starter did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted stopping the load", e);
    }
  }

  /**
   * Stops, waits until every chunk's jobs were acknowledged or given up, and returns them as one
   * outcome (given-up indexes numbered across chunks).
   */
  public JobLoad.Outcome stopAndAwait(Duration timeout) {
    stop();
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Integer, JobLoad.Outcome> all;
    List<Chunk> remaining;
    synchronized (this) {
      all = new HashMap<>(finished);
      remaining = List.copyOf(open);
    }
    for (Chunk chunk : remaining) {
      all.put(chunk.number(), chunk.running().await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    }
    Map<String, JobLoad.Acknowledged> acknowledged = new HashMap<>();
    Map<Integer, String> gaveUp = new HashMap<>();
    Map<String, Long> refusals = new HashMap<>();
    int submitted = 0;
    for (Map.Entry<Integer, JobLoad.Outcome> entry : all.entrySet()) {
      JobLoad.Outcome chunk = entry.getValue();
      int offset = entry.getKey() * chunkJobs;
      submitted += chunk.submitted();
      acknowledged.putAll(chunk.acknowledged());
      chunk.gaveUp().forEach((index, error) -> gaveUp.put(offset + index, error));
      chunk.refusals().forEach((kind, count) -> refusals.merge(kind, count, Long::sum));
    }
    return new JobLoad.Outcome(submitted, acknowledged, gaveUp, refusals, Duration.ofNanos(System.nanoTime() - startNanos));
  }
}
