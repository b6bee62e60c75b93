package io.jobcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.client.LeasedJob;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code deploy/bin/jobcluster} in a JVM of its own under a real pseudo-terminal
 * ({@code script} from util-linux), against a node of this test: {@code watch} redraws its line in place
 * as the job moves, and ends when the job ends or, for a queue, when interrupted. The test itself
 * moves the job, as an external worker, so the watch sees each step whatever the machine's speed.
 * The launcher runs the test's class path (JOBCLUSTER_CLI_CLASSPATH), as the jar is packaged after the tests.
 */
class CliTerminalTest {
  private static final String ADMIN_KEY = "admin-key-for-cli-terminal-tests-0123456789";
  private static final Path LAUNCHER = Path.of("../deploy/bin/jobcluster").toAbsolutePath().normalize();
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir
  static Path dir;

  private static JobclusterNode node;
  private static URI url;
  private static JobclusterClient client;

  @BeforeAll
  static void start() throws Exception {
    // No pool serves the queue "external": only this test's lease moves its jobs.
    node = TestNodes.start(DatabaseSettings.h2(dir.resolve("data")),
        "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\njobcluster.worker-queues = \"default:2\"\n");
    url = URI.create("http://127.0.0.1:" + node.httpAddress().getPort());
    client = JobclusterClient.builder().baseUri(url).apiKey(ADMIN_KEY).build();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** The launcher with {@code args} on a pseudo-terminal; what the terminal shows goes to {@code shown}. */
  private static Process onTerminal(Path shown, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    // env --default-signal=INT: a build started in the background (nohup ... &, as CI may be) runs with
    // SIGINT ignored, which every child inherits and the JVM respects; a terminal's Ctrl-C is never ignored.
    ProcessBuilder builder = new ProcessBuilder("env", "--default-signal=INT", "script", "--quiet", "--return", "--command",
        String.join(" ", command), "/dev/null")
        .redirectErrorStream(true).redirectOutput(shown.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().put("SHELL", "/bin/bash");
    builder.environment().put("JOBCLUSTER_CLI_CLASSPATH", System.getProperty("java.class.path"));
    builder.environment().put(CliSettings.ENV_URL, url.toString());
    builder.environment().put(CliSettings.ENV_API_KEY, ADMIN_KEY);
    return builder.start();
  }

  private static void awaitShown(Path shown, String what) {
    Awaitility.await("the terminal shows " + what).atMost(DEADLINE).until(() -> Files.readString(shown).contains(what));
  }

  private static int count(String text, String part) {
    Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
    int found = 0;
    while (matcher.find()) {
      found++;
    }
    return found;
  }

  @Test
  void watchRedrawsOneLineInPlaceAsTheJobMovesAndExitsWhenItEnds() throws Exception {
    String id = client.submit(JobRequest.of("transcode").withQueue("external")).job().id();
    Path shown = dir.resolve("job-watch.out");
    Process watch = onTerminal(shown, "watch", id, "--interval-ms", "100");
    try {
      String line = ProgressLine.REDRAW + id + "  transcode on external  ";
      awaitShown(shown, line + "PENDING  attempt 0/3");
      LeasedJob leased = client.lease("external", "terminal-test", 1, 10).get(0);
      awaitShown(shown, line + "RUNNING  attempt 1/3");
      client.heartbeat(id, leased.leaseId(), "{\"percent\":50}");
      awaitShown(shown, line + "RUNNING  attempt 1/3  progress {\"percent\":50}");
      client.complete(id, leased.leaseId(), "{\"ok\":true}");
      assertTrue(watch.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the watch did not end: " + Files.readString(shown));
    } finally {
      watch.destroyForcibly();
    }
    String text = Files.readString(shown);
    assertEquals(ExitCodes.OK, watch.exitValue(), text);
    assertTrue(text.substring(text.lastIndexOf(ProgressLine.REDRAW)).contains("COMPLETED  attempt 1/3"), text);
    assertTrue(count(text, ProgressLine.REDRAW) >= 3, "the line is redrawn at each read: " + text);
    assertEquals(1, count(text, "\n"), "everything was drawn on one line, ended once: " + text);
    assertTrue(text.endsWith("\n"), "the line is ended when the watch ends: " + text);
  }

  @Test
  void aJobThatEndsOtherwiseEndsTheWatchWithExitSix() throws Exception {
    String id = client.submit(JobRequest.of("transcode").withQueue("external")).job().id();
    Path shown = dir.resolve("cancel-watch.out");
    Process watch = onTerminal(shown, "watch", id, "--interval-ms", "100");
    try {
      awaitShown(shown, "PENDING");
      client.cancel(id);
      assertTrue(watch.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the watch did not end: " + Files.readString(shown));
    } finally {
      watch.destroyForcibly();
    }
    assertEquals(ExitCodes.JOB_NOT_COMPLETED, watch.exitValue(), Files.readString(shown));
    assertTrue(Files.readString(shown).contains("CANCELLED"), Files.readString(shown));
  }

  @Test
  void aQueueWatchRunsUntilInterruptedAndThenEndsItsLine() throws Exception {
    Path shown = dir.resolve("queue-watch.out");
    Process watch = onTerminal(shown, "watch", "--queue", "default", "--interval-ms", "100");
    try {
      Awaitility.await("the queue's line was drawn twice").atMost(DEADLINE)
          .until(() -> count(Files.readString(shown), ProgressLine.REDRAW + "default  pending 0") >= 2);
      ProcessHandle tool = watch.descendants().filter(process -> process.info().command().orElse("").endsWith("/java"))
          .findFirst().orElseThrow();
      // What Ctrl-C sends.
      assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(tool.pid())).start().waitFor());
      assertTrue(watch.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the watch did not end on SIGINT: " + Files.readString(shown));
    } finally {
      watch.destroyForcibly();
    }
    String text = Files.readString(shown);
    assertEquals(130, watch.exitValue(), text);
    assertTrue(text.substring(text.lastIndexOf(ProgressLine.REDRAW)).contains("\n"), "the line was ended for the shell's prompt: " + text);
  }
}
