package io.jobcluster.multijvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One node as a real OS process: a JVM started from {@link NodeSpec}, its output in its own log
 * file, probed over HTTP, killed or stopped like a machine would be.
 */
public final class NodeProcess {
  /** Generous: several JVMs warm up on two cores at once, and the first start compiles a lot. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  public static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
  public static final int LOG_TAIL_LINES = 60;

  private volatile NodeSpec spec;
  private volatile Process process;
  // An exit the test asked for (kill9, terminate) is not a crash; any other exit is.
  private volatile boolean stoppedOnPurpose;
  // An exit the node decided on (downed by the cluster) that the test awaited: not running, yet not stopped by it.
  private volatile boolean exitAwaited;

  private NodeProcess(NodeSpec spec) {
    this.spec = spec;
  }

  /** Starts the node's JVM and returns at once; see {@link #awaitReady()}. */
  public static NodeProcess launch(NodeSpec spec) {
    NodeProcess node = new NodeProcess(spec);
    node.startProcess(true);
    return node;
  }

  /** Starts the node's JVM and waits until it reports ready. */
  public static NodeProcess start(NodeSpec spec) {
    return launch(spec).awaitReady();
  }

  public NodeProcess awaitReady() {
    return awaitReady(READY_TIMEOUT);
  }

  /** Polls {@code /health/ready} until 200; fails at once with the log tail if the JVM exits. */
  public NodeProcess awaitReady(Duration timeout) {
    try {
      Poll.untilAsserted(timeout, this::checkReady);
      return this;
    } catch (AssertionError e) {
      throw new AssertionError(name() + " not ready within " + timeout + "; " + e.getMessage()
          + "\n" + logReport(LOG_TAIL_LINES), e);
    }
  }

  private void checkReady() {
    requireAlive("before it was ready");
    ReadinessProbe readiness = readiness();
    if (!readiness.isReady()) {
      throw new AssertionError("last /health/ready: " + readiness.summary());
    }
  }

  /** Fails, with the log tail, if the JVM has exited; a waiting probe uses it to stop early. */
  void requireAlive(String when) {
    if (!isAlive()) {
      throw new IllegalStateException(name() + " exited with code " + process.exitValue() + " " + when
          + "\n" + logReport(LOG_TAIL_LINES));
    }
  }

  public ReadinessProbe readiness() {
    return http().readiness();
  }

  /** {@code GET /health/live} answers 200. */
  public boolean isLive() {
    return http().isLive();
  }

  /** HTTP to this node, for tests that drive its API. */
  public NodeHttp http() {
    return new NodeHttp(spec.baseUri());
  }

  /** SIGKILL to the JVM (and any children), then waits for it to be gone; returns the exit code. */
  public int kill9() {
    stoppedOnPurpose = true;
    Process p = process;
    destroyNow();
    return awaitExit(p, EXIT_TIMEOUT, "after SIGKILL");
  }

  public int terminate() {
    return terminate(EXIT_TIMEOUT);
  }

  /**
   * SIGTERM, as an orchestrator or a spot interruption sends it, then waits for the JVM to exit.
   * A node that does not exit in time is killed and the test fails: shutdown must not hang.
   */
  public int terminate(Duration timeout) {
    stoppedOnPurpose = true;
    Process p = process;
    p.destroy();
    try {
      return awaitExit(p, timeout, "after SIGTERM");
    } catch (IllegalStateException hung) {
      String report = logReport(LOG_TAIL_LINES);
      kill9();
      throw new AssertionError(name() + " did not exit within " + timeout + " after SIGTERM; killed it\n" + report, hung);
    }
  }

  public NodeProcess restart() {
    return restart(Map.of());
  }

  /**
   * Starts the node again on the same ports and log file, with some environment changed, and
   * waits until it is ready. A node still running is first stopped with SIGTERM; to restart
   * after a crash, {@link #kill9()} first.
   */
  public NodeProcess restart(Map<String, String> envOverrides) {
    if (isAlive()) {
      terminate();
    }
    spec = spec.withEnv(envOverrides);
    startProcess(false);
    return awaitReady();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The node exited without the test asking for it. */
  public boolean crashed() {
    return !isAlive() && !stoppedOnPurpose;
  }

  /** Whether the test means this node to be running: started, not stopped on purpose, not awaited to exit. */
  public boolean expectedRunning() {
    return !stoppedOnPurpose && !exitAwaited;
  }

  /**
   * Waits until the JVM exits by itself, as a node the cluster downed does, and returns its exit
   * code; from then on the node no longer counts as running ({@link #expectedRunning()}) though it
   * still {@link #crashed()}: the test did not stop it.
   */
  public int awaitExitByItself(Duration timeout) {
    Poll.until(name() + " exits by itself", timeout, () -> !isAlive());
    exitAwaited = true;
    return process.exitValue();
  }

  public long pid() {
    return process.pid();
  }

  public OptionalInt exitCode() {
    return isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  public List<String> logTail(int lines) {
    return LogTail.lastLines(spec.logFile(), lines);
  }

  /** Every log line containing the text, across restarts. */
  public List<String> logLinesContaining(String text) {
    try {
      // Decoded leniently: a node may print bytes that are not UTF-8.
      String log = new String(Files.readAllBytes(spec.logFile()), StandardCharsets.UTF_8);
      return log.lines().filter(line -> line.contains(text)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + spec.logFile(), e);
    }
  }

  /** A header naming the node and its state, then the last lines of its log. */
  public String logReport(int lines) {
    String state = isAlive() ? "running" : "exited " + process.exitValue() + (stoppedOnPurpose ? " (stopped by the test)" : "");
    StringBuilder report = new StringBuilder()
        .append("---- ").append(name()).append(" pid=").append(pid())
        .append(" http=").append(spec.httpAddress()).append(" cluster=").append(spec.clusterAddress())
        .append(' ').append(state).append("; last ").append(lines).append(" lines of ").append(spec.logFile())
        .append('\n');
    logTail(lines).forEach(line -> report.append(line).append('\n'));
    return report.toString();
  }

  public String name() {
    return spec.name();
  }

  public NodeSpec spec() {
    return spec;
  }

  public String clusterAddress() {
    return spec.clusterAddress();
  }

  public Path logFile() {
    return spec.logFile();
  }

  /** Kills the process tree without waiting; also what the JVM shutdown hook calls. */
  void destroyNow() {
    Process p = process;
    if (p != null && p.isAlive()) {
      // Children first: once the parent is gone they are re-parented and no longer found.
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  /** A first start replaces a log left by an earlier build; a restart appends to it. */
  private void startProcess(boolean first) {
    NodeSpec current = spec;
    Path log = current.logFile();
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "---- harness: " + (first ? "starting " : "restarting ") + name() + " at " + Instant.now()
              + " http=" + current.httpAddress() + " cluster=" + current.clusterAddress()
              + "\n---- harness: " + String.join(" ", current.commandLine()) + "\n",
          StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          first ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
      ProcessBuilder builder = new ProcessBuilder(current.commandLine())
          .directory(log.getParent().toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      // Settings from the developer's shell must not leak into a test node.
      builder.environment().keySet().removeIf(key -> key.startsWith(NodeEnv.PREFIX));
      builder.environment().putAll(current.processEnv());
      stoppedOnPurpose = false;
      exitAwaited = false;
      process = builder.start();
      NodeRegistry.register(this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name(), e);
    }
  }

  private int awaitExit(Process p, Duration timeout, String when) {
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name() + " still running " + timeout + " " + when);
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + name() + " to exit", e);
    }
  }
}
