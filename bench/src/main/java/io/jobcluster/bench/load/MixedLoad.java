package io.jobcluster.bench.load;

import io.jobcluster.bench.Workers;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.client.ListQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Many clients at once, each making one request at a time (closed loop), in rounds of the mix the
 * node's {@code ConcurrentClientsHttpTest} uses: submit a job, read it, list the newest 20, submit
 * a job due in an hour, cancel that one. A closed loop measures the answer time each client saw;
 * it slows its own requests when the node slows, so it is no open-loop rate.
 */
final class MixedLoad {
  static final List<String> OPERATIONS = List.of("submit", "get", "list", "cancel");

  private final LoadTask.Mixed task;
  private final LoadClients clients;
  private final Map<String, LatencyRecorder> latencies = new LinkedHashMap<>();
  private final Map<String, Failures> failures = new LinkedHashMap<>();
  private final LatencyRecorder all = new LatencyRecorder();
  private final Failures allFailures = new Failures();
  private long deadline;

  private MixedLoad(LoadTask.Mixed task) {
    this.task = task;
    this.clients = LoadClients.connect(task.target());
    for (String operation : OPERATIONS) {
      latencies.put(operation, new LatencyRecorder());
      failures.put(operation, new Failures());
    }
  }

  static MixedResult run(LoadTask.Mixed task) {
    return new MixedLoad(task).run();
  }

  private MixedResult run() {
    long start = System.nanoTime();
    deadline = start + task.duration().toNanos();
    Workers.runAll(task.clients(), c -> rounds(clients.pick(c)));
    Map<String, MixedResult.Operation> operations = new LinkedHashMap<>();
    latencies.forEach((name, recorder) -> operations.put(name, operation(recorder, failures.get(name))));
    operations.put(MixedResult.ALL, operation(all, allFailures));
    return new MixedResult(task.clients(), (System.nanoTime() - start) / 1e9, operations);
  }

  private static MixedResult.Operation operation(LatencyRecorder recorder, Failures failed) {
    return new MixedResult.Operation(recorder.count(), failed.snapshot(), HistogramCodec.encode(recorder.snapshot()));
  }

  private void rounds(JobclusterClient client) {
    while (System.nanoTime() - deadline < 0) {
      String id = timed("submit", () -> client.submit(JobRequest.of("noop")).job().id());
      if (id != null) {
        timed("get", () -> client.get(id));
      }
      timed("list", () -> client.list(ListQuery.all().withLimit(20)));
      String later = timed("submit", () -> client.submit(JobRequest.of("noop").withDelaySeconds(3600L)).job().id());
      if (later != null) {
        timed("cancel", () -> client.cancel(later));
      }
    }
  }

  /** Runs one request, recording its time or its failure; null when it failed. */
  private <T> T timed(String operation, Supplier<T> request) {
    long start = System.nanoTime();
    try {
      T answer = request.get();
      long end = System.nanoTime();
      latencies.get(operation).record(start, end);
      all.record(start, end);
      return answer;
    } catch (RuntimeException e) {
      failures.get(operation).add(e);
      allFailures.add(e);
      return null;
    }
  }
}
