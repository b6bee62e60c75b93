package io.jobcluster.node.worker;

import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.QueueName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses {@code JOBCLUSTER_WORKER_QUEUES}: {@code queue[:concurrency[:type|type...]],...}, e.g.
 * {@code default:8,media:2:convert|thumbnail}.
 */
public final class WorkerQueues {
  private static final int MAX_CONCURRENCY = 1000;

  private WorkerQueues() {}

  /**
   * One worker pool of this node.
   *
   * @param types the job types it takes, sorted; empty: every type a handler of this node is registered for
   */
  public record WorkerQueue(String queue, int concurrency, List<String> types) {
    public WorkerQueue {
      types = types.stream().sorted().distinct().toList();
    }
  }

  /** The pools in the order given; an empty text means no worker pools. */
  public static List<WorkerQueue> parse(String text) {
    List<WorkerQueue> queues = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String item : text.split(",")) {
      String entry = item.trim();
      if (entry.isEmpty()) {
        continue;
      }
      WorkerQueue queue = parseOne(entry);
      if (!seen.add(queue.queue())) {
        throw new IllegalArgumentException("worker queue '" + queue.queue() + "' is listed twice");
      }
      queues.add(queue);
    }
    return List.copyOf(queues);
  }

  private static WorkerQueue parseOne(String entry) {
    String[] parts = entry.split(":", -1);
    String queue = parts[0].trim();
    if (!QueueName.isValid(queue)) {
      throw new IllegalArgumentException("worker queue '" + queue + "' must match " + QueueName.PATTERN.pattern());
    }
    if (parts.length > 3) {
      throw new IllegalArgumentException("worker queue '" + queue + "' must be written queue:slots or queue:slots:type|type");
    }
    int concurrency;
    try {
      concurrency = parts.length < 2 ? 1 : Integer.parseInt(parts[1].trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("worker queue '" + queue + "' needs a whole number of slots, as in " + queue + ":4");
    }
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("worker queue '" + queue + "' slots must be between 1 and " + MAX_CONCURRENCY);
    }
    List<String> types = new ArrayList<>();
    if (parts.length == 3) {
      for (String type : parts[2].split("\\|", -1)) {
        String name = type.trim();
        if (!JobSpec.TYPE.matcher(name).matches()) {
          throw new IllegalArgumentException("worker queue '" + queue + "' has job type '" + name + "', which must match "
              + JobSpec.TYPE.pattern() + " (types are separated by |, as in " + queue + ":" + concurrency + ":convert|thumbnail)");
        }
        types.add(name);
      }
    }
    return new WorkerQueue(queue, concurrency, types);
  }
}
