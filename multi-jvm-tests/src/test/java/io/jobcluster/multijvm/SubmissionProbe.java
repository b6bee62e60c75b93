package io.jobcluster.multijvm;

import io.jobcluster.protocol.client.JobclusterApiException;
import io.jobcluster.protocol.client.Submission;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Single submissions at a steady pace, each sent once to the next running node and timed: how
 * the API answers while something is wrong (which status, how fast, or no answer at all). Unlike
 * {@link JobLoad} it never retries; the jobs it got acknowledged are checked like any load's.
 */
public final class SubmissionProbe {
  /** Enough threads that a hung request never delays the next probe. */
  private static final int SENDERS = 32;

  /**
   * One submission.
   *
   * @param status the HTTP status, or -1 when no answer came (connection refused, reset, client timeout)
   * @param error the error code or I/O failure; null for an acknowledgement
   */
  public record Probe(int index, String node, Instant sent, Duration took, int status, String error, JobLoad.Acknowledged ack) {
    public boolean acknowledged() {
      return ack != null;
    }

    public boolean answered() {
      return status > 0;
    }
  }

  private final ChaosCluster chaos;
  private final JobLoad requests;
  private final String keyPrefix;
  private final ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();
  private final AtomicInteger next = new AtomicInteger();
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);

  private SubmissionProbe(ChaosCluster chaos, String keyPrefix, HoldMix mix) {
    this.chaos = chaos;
    this.keyPrefix = keyPrefix;
    this.requests = chaos.load(keyPrefix, mix);
  }

  /** Starts sending one submission every {@code interval} and returns at once. */
  public static SubmissionProbe start(ChaosCluster chaos, String keyPrefix, HoldMix mix, Duration interval) {
    SubmissionProbe probe = new SubmissionProbe(chaos, keyPrefix, mix);
    probe.pacer.scheduleAtFixedRate(() -> probe.senders.execute(probe::sendOne), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return probe;
  }

  private void sendOne() {
    int index = next.getAndIncrement();
    List<NodeProcess> running = chaos.cluster().running();
    if (running.isEmpty()) {
      return;
    }
    NodeProcess node = running.get(Math.floorMod(index, running.size()));
    String key = keyPrefix + "-" + index;
    Instant sent = Instant.now();
    long started = System.nanoTime();
    try {
      Submission answer = chaos.client(node).submit(requests.request(index), key);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      JobLoad.Acknowledged ack = new JobLoad.Acknowledged(index, key, answer.job().id(), node.name(), Instant.now(), Duration.ZERO,
          answer.created(), took);
      probes.add(new Probe(index, node.name(), sent, took, answer.created() ? 201 : 200, null, ack));
    } catch (JobclusterApiException e) {
      probes.add(new Probe(index, node.name(), sent, Duration.ofNanos(System.nanoTime() - started), e.status(), e.getMessage(), null));
    } catch (UncheckedIOException e) {
      probes.add(new Probe(index, node.name(), sent, Duration.ofNanos(System.nanoTime() - started), -1, e.getMessage(), null));
    }
  }

  /** Stops sending and waits for the answers still out (each bounded by the client's request timeout). */
  public List<Probe> stop() {
    pacer.shutdownNow();
    senders.shutdown();
    try {
      if (!senders.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("probes still waiting for answers after a minute");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted stopping the probe", e);
    }
    return probes();
  }

  /** The probes answered so far, in the order they were sent. */
  public List<Probe> probes() {
    return probes.stream().sorted(Comparator.comparing(Probe::sent)).toList();
  }

  /** The probes answered so far that were sent at or after {@code at}, in the order they were sent. */
  public List<Probe> sentFrom(Instant at) {
    return probes().stream().filter(probe -> !probe.sent().isBefore(at)).toList();
  }

  /** Probes by status ({@code 201}, {@code 503}, {@code none} for no answer). */
  public static Map<String, Long> byStatus(List<Probe> probes) {
    return probes.stream().collect(Collectors.groupingBy(probe -> probe.answered() ? Integer.toString(probe.status()) : "none",
        TreeMap::new, Collectors.counting()));
  }

  /** The longest time any of {@code probes} waited for its answer (or for giving up). */
  public static Optional<Duration> longest(List<Probe> probes, Predicate<Probe> which) {
    return probes.stream().filter(which).map(Probe::took).max(Comparator.naturalOrder());
  }

  /**
   * {@code load} with the acknowledged probes added, to be checked with {@link LoadCheck} as one:
   * probes count as submitted, and their answers join the refusals as {@code probe <status>}.
   */
  public static JobLoad.Outcome withProbes(JobLoad.Outcome load, List<Probe> probes) {
    Map<String, JobLoad.Acknowledged> acknowledged = new HashMap<>(load.acknowledged());
    probes.stream().filter(Probe::acknowledged).forEach(probe -> acknowledged.put(probe.ack().jobId(), probe.ack()));
    Map<String, Long> refusals = new TreeMap<>(load.refusals());
    byStatus(probes).forEach((status, count) -> refusals.put("probe " + status, count));
    return new JobLoad.Outcome(load.submitted() + probes.size(), acknowledged, load.gaveUp(), refusals, load.took());
  }
}
