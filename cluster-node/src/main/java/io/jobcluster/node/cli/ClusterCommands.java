package io.jobcluster.node.cli;

import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.wire.FinishedTimings;
import io.jobcluster.protocol.wire.Items;
import io.jobcluster.protocol.wire.QueueInfo;
import io.jobcluster.protocol.wire.Stats;
import io.jobcluster.protocol.wire.WorkerInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The cluster's state as the key's tenant sees it: {@code queues}, {@code workers}, {@code stats}. */
final class ClusterCommands {
  private ClusterCommands() {}

  static final List<String> QUEUE_HEADERS = List.of("QUEUE", "PENDING", "SCHEDULED", "RUNNING", "RETRYING", "OLDEST", "WORKERS", "CAPACITY",
      "UNROUTABLE");

  static List<String> queueRow(QueueInfo queue) {
    return Arrays.asList(queue.queue(), Long.toString(queue.pending()), Long.toString(queue.scheduled()), Long.toString(queue.running()),
        Long.toString(queue.retrying()), Formats.seconds(queue.oldestPendingAgeSeconds()), Integer.toString(queue.workers()),
        Integer.toString(queue.capacity()), unroutable(queue));
  }

  /** How many jobs wait for a worker of their type, and which types: {@code 3 (ocr,pdf)}. */
  private static String unroutable(QueueInfo queue) {
    return queue.unroutable() == 0 ? "0" : queue.unroutable() + " (" + Formats.list(queue.unroutableTypes()) + ")";
  }

  @Command(name = "queues", mixinStandardHelpOptions = true,
      description = "Per queue: pending, scheduled, running, retrying, oldest pending age, worker pools and their capacity,"
          + " and the pending jobs whose type no worker takes (unroutable; they wait).")
  static final class Queues extends ApiCommand {
    @Override
    int call(JobclusterClient client, Output output) {
      List<QueueInfo> queues = client.queues();
      output.print(new Items<>(queues), () -> output.printTable(QUEUE_HEADERS, queues.stream().map(ClusterCommands::queueRow).toList()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "workers", mixinStandardHelpOptions = true, description = "Registered worker pools: node, queues, capacity, in flight, job types.")
  static final class Workers extends ApiCommand {
    @Override
    int call(JobclusterClient client, Output output) {
      List<WorkerInfo> workers = client.workers();
      output.print(new Items<>(workers), () -> output.printTable(List.of("ID", "NODE", "QUEUES", "CAPACITY", "IN FLIGHT", "DRAINING", "TYPES"),
          workers.stream()
          .map(worker -> Arrays.asList(worker.id(), worker.node(), Formats.list(worker.queues()), Integer.toString(worker.capacity()),
              Integer.toString(worker.inFlight()), worker.draining() ? "yes" : "no", Formats.list(worker.types())))
          .toList()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "stats", mixinStandardHelpOptions = true,
      description = "Job counts by status, success rate, and per queue/type timings of the jobs finished in a window.")
  static final class Stats extends ApiCommand {
    @Option(names = {"-w", "--window"}, description = "The timings' window, e.g. 15m, 1h (the server's default), 7d.")
    String window;

    @Override
    int call(JobclusterClient client, Output output) {
      io.jobcluster.protocol.wire.Stats stats = window == null ? client.stats() : client.stats(window);
      if (output.json()) {
        output.printJson(stats);
        return ExitCodes.OK;
      }
      Map<String, Object> totals = new LinkedHashMap<>();
      totals.put("total", stats.total());
      for (JobStatus status : JobStatus.values()) {
        totals.put(status.name().toLowerCase(Locale.ROOT), stats.count(status));
      }
      totals.put("success rate", percent(stats.successRate()));
      output.printFields(totals);
      output.println("");
      output.println("Finished in the last " + stats.window() + ":");
      output.printTable(List.of("QUEUE", "TYPE", "FINISHED", "COMPLETED", "FAILED", "CANCELLED", "EXPIRED", "SUCCESS", "WAIT P50/P95",
          "RUN P50/P95"), stats.timings().stream().map(Stats::timingRow).toList());
      return ExitCodes.OK;
    }

    private static List<String> timingRow(FinishedTimings timing) {
      return Arrays.asList(timing.queue(), timing.type(), Long.toString(timing.finished()), Long.toString(timing.completed()),
          Long.toString(timing.failed()), Long.toString(timing.cancelled()), Long.toString(timing.expired()), percent(timing.successRate()),
          spread(timing.waitMs()), spread(timing.runMs()));
    }

    private static String percent(Double rate) {
      return rate == null ? "-" : String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    private static String spread(FinishedTimings.Millis millis) {
      return millis == null ? null : millis.p50() + "/" + millis.p95() + " ms";
    }
  }
}
