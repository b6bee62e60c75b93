package io.jobcluster.multijvm;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Shows node logs when a test fails and kills the node processes tests leave behind.
 *
 * <p>On failure, each involved node's log tail (nodes running when the test began, and nodes it
 * started) goes to the test's output, which surefire keeps in its report files, and is attached
 * to the failure as a suppressed exception, so the CI console shows it too. After each test the
 * nodes it started are killed; after the class, every node started since the class began.
 */
public final class NodeProcessGuard implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
    AfterAllCallback, TestWatcher, TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NodeProcessGuard.class);
  private static final String SNAPSHOT = "snapshot";
  private static final String REPORTED = "reported";

  /** The nodes known when a scope began; the store's parent lookup finds the class's from a method. */
  private record Snapshot(List<NodeProcess> known, Set<NodeProcess> running) {
    static Snapshot now() {
      List<NodeProcess> known = NodeRegistry.all();
      return new Snapshot(known, known.stream().filter(NodeProcess::isAlive).collect(Collectors.toSet()));
    }

    List<NodeProcess> startedSince() {
      return NodeRegistry.all().stream().filter(node -> !known.contains(node)).toList();
    }

    List<NodeProcess> involved() {
      return NodeRegistry.all().stream().filter(node -> !known.contains(node) || running.contains(node)).toList();
    }
  }

  /** Carries the log tails on a failure; its own stack trace would only be noise. */
  static final class NodeLogs extends RuntimeException {
    NodeLogs(String report) {
      super(report, null, false, false);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put(SNAPSHOT, Snapshot.now());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NAMESPACE).put(SNAPSHOT, Snapshot.now());
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withNodeLogs(context, failure);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withNodeLogs(context, failure);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withNodeLogs(context, failure);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    snapshot(context).startedSince().forEach(NodeProcessGuard::killQuietly);
  }

  /** Runs after afterEach: nodes may be dead by now, but their logs are what matter. */
  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (context.getStore(NAMESPACE).get(REPORTED) == null) {
      System.out.println(report(context));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    snapshot(context).startedSince().forEach(NodeProcessGuard::killQuietly);
  }

  private Throwable withNodeLogs(ExtensionContext context, Throwable failure) {
    String report = report(context);
    if (!report.isEmpty()) {
      System.out.println(report);
      failure.addSuppressed(new NodeLogs(report));
    }
    context.getStore(NAMESPACE).put(REPORTED, Boolean.TRUE);
    return failure;
  }

  private static String report(ExtensionContext context) {
    return snapshot(context).involved().stream()
        .map(node -> node.logReport(NodeProcess.LOG_TAIL_LINES))
        .collect(Collectors.joining());
  }

  private static Snapshot snapshot(ExtensionContext context) {
    Snapshot snapshot = context.getStore(NAMESPACE).get(SNAPSHOT, Snapshot.class);
    return snapshot != null ? snapshot : new Snapshot(List.of(), Set.of());
  }

  private static void killQuietly(NodeProcess node) {
    if (node.isAlive()) {
      try {
        node.kill9();
      } catch (RuntimeException e) {
        // Cleanup must go on for the other nodes; the shutdown hook is the last resort.
        node.destroyNow();
      }
    }
  }
}
