package io.jobcluster.multijvm;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every node process this test JVM started. {@link NodeProcessGuard} uses it to show logs and
 * clean up after each test; the shutdown hook is the backstop that keeps node JVMs from
 * outliving the test JVM when a test or a cluster was never closed.
 */
final class NodeRegistry {
  private static final List<NodeProcess> started = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(NodeRegistry::destroyAll, "kill-node-processes"));
  }

  private NodeRegistry() {}

  static void register(NodeProcess node) {
    if (!started.contains(node)) {
      started.add(node);
    }
  }

  /** In start order; a node restarted keeps its first place. */
  static List<NodeProcess> all() {
    return List.copyOf(started);
  }

  private static void destroyAll() {
    started.forEach(NodeProcess::destroyNow);
  }
}
