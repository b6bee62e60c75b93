package io.jobcluster.node.worker;

import io.jobcluster.protocol.QueueName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses {@code JOBCLUSTER_WORKER_QUEUES}: {@code queue:concurrency,...}, e.g. {@code default:8,media:2}. */
public final class WorkerQueues {
  private static final int MAX_CONCURRENCY = 1000;

  private WorkerQueues() {}

  /** Queue name to concurrency, in the order given; an empty text means no worker pools. */
  public static Map<String, Integer> parse(String text) {
    Map<String, Integer> queues = new LinkedHashMap<>();
    for (String item : text.split(",")) {
      String entry = item.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int colon = entry.indexOf(':');
      String queue = colon < 0 ? entry : entry.substring(0, colon).trim();
      if (!QueueName.isValid(queue)) {
        throw new IllegalArgumentException("worker queue '" + queue + "' must match " + QueueName.PATTERN.pattern());
      }
      int concurrency;
      try {
        concurrency = colon < 0 ? 1 : Integer.parseInt(entry.substring(colon + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("worker queue '" + queue + "' needs a whole number of slots, as in " + queue + ":4");
      }
      if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
        throw new IllegalArgumentException("worker queue '" + queue + "' slots must be between 1 and " + MAX_CONCURRENCY);
      }
      if (queues.put(queue, concurrency) != null) {
        throw new IllegalArgumentException("worker queue '" + queue + "' is listed twice");
      }
    }
    return Collections.unmodifiableMap(queues);
  }
}
