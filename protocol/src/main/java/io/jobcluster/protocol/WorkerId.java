package io.jobcluster.protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * The id of a worker pool a node runs for one queue: {@code node/queue}, where {@code node} is the
 * node's {@code host:port#incarnation} (a restarted node is another incarnation). External workers
 * name themselves with ids that cannot contain {@code /}, so a job's {@code workerId} tells which
 * kind ran it.
 */
public record WorkerId(String node, String queue) {
  private static final char SEPARATOR = '/';
  private static final char INCARNATION = '#';

  public WorkerId {
    Objects.requireNonNull(node, "node");
    QueueName.require(queue);
  }

  /** The pool that {@code workerId} names, or empty for an external worker's id (or null). */
  public static Optional<WorkerId> parse(String workerId) {
    int separator = workerId == null ? -1 : workerId.lastIndexOf(SEPARATOR);
    if (separator <= 0) {
      return Optional.empty();
    }
    return Optional.of(new WorkerId(workerId.substring(0, separator), workerId.substring(separator + 1)));
  }

  /** The node's {@code host:port}, without its incarnation. */
  public String address() {
    int incarnation = node.indexOf(INCARNATION);
    return incarnation < 0 ? node : node.substring(0, incarnation);
  }

  /** Whether {@code workerId} names a pool of {@code node}. */
  public static boolean runsOn(String workerId, String node) {
    return parse(workerId).map(id -> id.node().equals(node)).orElse(false);
  }

  @Override
  public String toString() {
    return node + SEPARATOR + queue;
  }
}
