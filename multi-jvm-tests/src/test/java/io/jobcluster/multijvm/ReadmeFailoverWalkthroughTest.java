package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresBinaries;
import io.jobcluster.persistence.testing.PostgresServer;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.client.ListQuery;
import io.jobcluster.protocol.wire.JobSummary;
import io.jobcluster.protocol.wire.JobTransition;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the README's "Try failover" walkthrough as written: its bash blocks, in order, with
 * {@code bash -e} from the repository's root, on ports and a state directory of the test's own
 * (the script's {@code JOBCLUSTER_LOCAL_*} settings). Before the last block ({@code down}) it checks
 * through the API that every job the walkthrough submitted ended COMPLETED and that the kill of
 * node 2 hit jobs that then completed on the other nodes. Whatever happens, {@code down} runs at the
 * end and any node or PostgreSQL process left over is killed.
 */
@MultiJvmTest
class ReadmeFailoverWalkthroughTest {
  private static final Logger log = LoggerFactory.getLogger(ReadmeFailoverWalkthroughTest.class);
  private static final Pattern SECTION = Pattern.compile("<!-- try-failover.*?-->(.*?)<!-- /try-failover -->", Pattern.DOTALL);
  private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
  private static final int NODES = 3;
  private static final int JOBS = 30;
  private static final int KILLED = 2;
  private static final Duration WALKTHROUGH_TIMEOUT = Duration.ofMinutes(12);
  private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(3);

  private final Path root = Path.of("").toAbsolutePath().getParent();

  @Test
  void theReadmesFailoverWalkthroughCompletesEveryJobAfterTheKill() throws IOException {
    List<String> blocks = walkthroughBlocks(Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8));
    String last = blocks.get(blocks.size() - 1);
    assertEquals("deploy/local/cluster.sh down", last.strip(), "the walkthrough ends with down");
    assertTrue(blocks.get(0).contains("deploy/local/cluster.sh up " + NODES), "the walkthrough starts " + NODES + " nodes");
    assertTrue(String.join("\n", blocks).contains("cluster.sh kill " + KILLED), "the walkthrough kills node " + KILLED);

    Path work = Files.createDirectories(TestLogs.directory("ReadmeFailoverWalkthroughTest"));
    Path state = work.resolve("state");
    Ports ports = Ports.take();
    Map<String, String> env = Map.of(
        "JOBCLUSTER_LOCAL_STATE", state.toString(),
        "JOBCLUSTER_LOCAL_HTTP_BASE", String.valueOf(ports.http()),
        "JOBCLUSTER_LOCAL_CLUSTER_BASE", String.valueOf(ports.cluster()),
        "JOBCLUSTER_LOCAL_MANAGEMENT_BASE", String.valueOf(ports.management()),
        "JOBCLUSTER_LOCAL_PG_PORT", String.valueOf(ports.postgres()),
        "JOBCLUSTER_LOCAL_PG_BIN", PostgresBinaries.find().binDirectory().toString(),
        "JOBCLUSTER_LOCAL_JAR", nodeJar(),
        "JAVA_OPTS", String.join(" ", NodeCommand.TEST_JVM_OPTIONS));
    cleanUp(state, env, work);
    long started = System.nanoTime();
    try {
      Path output = work.resolve("walkthrough.log");
      int exit = runBash(String.join("\n", blocks.subList(0, blocks.size() - 1)), env, output, WALKTHROUGH_TIMEOUT);
      String printed = Files.readString(output, StandardCharsets.UTF_8);
      assertEquals(0, exit, "the walkthrough failed; its output:\n" + printed);
      assertTrue(printed.contains("\"COMPLETED\":" + JOBS + ","), "the walkthrough saw all " + JOBS + " jobs completed:\n" + printed);
      assertEveryJobCompletedAfterTheKill(state, ports);

      int downExit = runBash(last, env, work.resolve("down.log"), DOWN_TIMEOUT);
      assertEquals(0, downExit, "down failed: " + Files.readString(work.resolve("down.log"), StandardCharsets.UTF_8));
      assertFalse(Files.exists(state), "down removes the state directory");
    } finally {
      cleanUp(state, env, work);
      log.info("README failover walkthrough took {}", ReliabilityReport.seconds(Duration.ofNanos(System.nanoTime() - started)));
    }
  }

  private void assertEveryJobCompletedAfterTheKill(Path state, Ports ports) throws IOException {
    JobclusterClient admin = JobclusterClient.builder().baseUri(URI.create("http://127.0.0.1:" + ports.http()))
        .apiKey(Files.readString(state.resolve("admin-key"), StandardCharsets.UTF_8).strip()).build();
    List<JobSummary> jobs = admin.list(ListQuery.all().withType("sleep").withLimit(100)).items();
    assertEquals(JOBS, jobs.size(), "jobs the walkthrough submitted: " + jobs);
    jobs.forEach(job -> assertEquals(JobStatus.COMPLETED, job.status(), "every job completed: " + job));
    String killedNode = "127.0.0.1:" + (ports.cluster() + KILLED) + "#";
    List<String> takenOver = new ArrayList<>();
    for (JobSummary job : jobs) {
      List<JobTransition> history = admin.history(job.id());
      boolean ranOnKilled = history.stream()
          .anyMatch(step -> step.to() == JobStatus.RUNNING && String.valueOf(step.node()).startsWith(killedNode));
      JobTransition end = history.get(history.size() - 1);
      if (ranOnKilled && !String.valueOf(end.node()).startsWith(killedNode)) {
        takenOver.add(job.id() + " attempts=" + job.attempts());
      }
    }
    assertFalse(takenOver.isEmpty(), "the kill of node " + KILLED + " hit running jobs that completed on the others");
    log.info("jobs taken over from the killed node: {}", takenOver);
  }

  /** The bash blocks between the README's try-failover markers, in order. */
  static List<String> walkthroughBlocks(String readme) {
    Matcher section = SECTION.matcher(readme);
    assertTrue(section.find(), "the README marks its walkthrough with <!-- try-failover --> ... <!-- /try-failover -->");
    List<String> blocks = new ArrayList<>();
    Matcher block = BASH_BLOCK.matcher(section.group(1));
    while (block.find()) {
      blocks.add(block.group(1));
    }
    assertTrue(blocks.size() >= 2, "the walkthrough has bash blocks: " + blocks);
    return blocks;
  }

  private int runBash(String script, Map<String, String> env, Path output, Duration timeout) throws IOException {
    Path file = output.resolveSibling(output.getFileName() + ".sh");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    ProcessBuilder builder = new ProcessBuilder("bash", "-e", file.toString()).directory(root.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // The nodes get only the walkthrough's settings: no JOBCLUSTER_* of the build's environment.
    builder.environment().keySet().removeIf(name -> name.startsWith("JOBCLUSTER_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError(file + " did not finish within " + timeout + "; output:\n"
            + Files.readString(output, StandardCharsets.UTF_8));
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IllegalStateException("interrupted running " + file, e);
    }
  }

  /**
   * {@code down} when state is left (node logs copied beside the walkthrough's output first), then
   * SIGKILL for any node or PostgreSQL server still running, then the files.
   */
  private void cleanUp(Path state, Map<String, String> env, Path work) throws IOException {
    if (!Files.isDirectory(state)) {
      return;
    }
    try (Stream<Path> logs = Files.list(state)) {
      for (Path nodeLog : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
        Files.copy(nodeLog, work.resolve(nodeLog.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    List<Long> pids = new ArrayList<>(nodePids(state));
    Optional<Path> pgDir = postgresDirectory(state);
    pgDir.flatMap(ReadmeFailoverWalkthroughTest::postmasterPid).ifPresent(pids::add);
    try {
      runBash("deploy/local/cluster.sh down", env, work.resolve("cleanup-down.log"), DOWN_TIMEOUT);
    } finally {
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      PostgresServer.deleteRecursively(state);
      pgDir.ifPresent(PostgresServer::deleteRecursively);
    }
  }

  private static List<Long> nodePids(Path state) throws IOException {
    try (Stream<Path> files = Files.list(state)) {
      List<Long> pids = new ArrayList<>();
      for (Path file : files.filter(f -> f.getFileName().toString().matches("node-\\d+\\.pid")).toList()) {
        pids.add(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip()));
      }
      return pids;
    }
  }

  /** {@code pg_dir=...} in the settings the script keeps. */
  private static Optional<Path> postgresDirectory(Path state) throws IOException {
    Path settings = state.resolve("settings.sh");
    if (!Files.exists(settings)) {
      return Optional.empty();
    }
    return Files.readAllLines(settings, StandardCharsets.UTF_8).stream().filter(line -> line.startsWith("pg_dir="))
        .map(line -> Path.of(line.substring("pg_dir=".length()))).findFirst();
  }

  /** The first line of {@code postmaster.pid}: the server's pid while it runs. */
  private static Optional<Long> postmasterPid(Path pgDir) {
    try {
      List<String> lines = Files.readAllLines(pgDir.resolve("data/postmaster.pid"), StandardCharsets.UTF_8);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String nodeJar() {
    List<String> target = NodeCommand.nodeJar().target();
    return target.get(target.size() - 1);
  }

  /** Port bases with {@link #NODES} free ports each (node i uses base + i), and PostgreSQL's port. */
  private record Ports(int http, int cluster, int management, int postgres) {
    static Ports take() {
      return new Ports(freeRun(), freeRun(), freeRun(), FreePorts.take());
    }

    private static int freeRun() {
      for (int attempt = 0; attempt < 100; attempt++) {
        int base = FreePorts.take();
        if (base + NODES <= 65535 && allFree(base + 1, base + NODES - 1)) {
          return base;
        }
      }
      throw new IllegalStateException("no run of " + NODES + " free ports on 127.0.0.1");
    }

    private static boolean allFree(int from, int to) {
      for (int port = from; port <= to; port++) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(NodeSpec.HOST))) {
          probe.getLocalPort();
        } catch (IOException e) {
          return false;
        }
      }
      return true;
    }
  }
}
