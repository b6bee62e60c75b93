package io.jobcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.client.JobclusterClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code deploy/bin/jobcluster} in a JVM of its own under a real pseudo-terminal
 * ({@code script} from util-linux), against a node of this test: {@code watch} redraws its line in place
 * and exits when the job ends. The launcher runs the test's class path (JOBCLUSTER_CLI_CLASSPATH), as
 * the jar is packaged after the tests.
 */
class CliTerminalTest {
  private static final String ADMIN_KEY = "admin-key-for-cli-terminal-tests-0123456789";
  private static final Path LAUNCHER = Path.of("../deploy/bin/jobcluster").toAbsolutePath().normalize();

  @TempDir
  static Path dir;

  private static JobclusterNode node;
  private static URI url;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(DatabaseSettings.h2(dir.resolve("data")),
        "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\njobcluster.worker-queues = \"default:2\"\n");
    url = URI.create("http://127.0.0.1:" + node.httpAddress().getPort());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** Runs the launcher with {@code args} on a pseudo-terminal; answers its exit code and everything the terminal showed. */
  private static Map.Entry<Integer, String> onTerminal(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder("script", "--quiet", "--return", "--command", String.join(" ", command), "/dev/null")
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().put("SHELL", "/bin/bash");
    builder.environment().put("JOBCLUSTER_CLI_CLASSPATH", System.getProperty("java.class.path"));
    builder.environment().put(CliSettings.ENV_URL, url.toString());
    builder.environment().put(CliSettings.ENV_API_KEY, ADMIN_KEY);
    Process process = builder.start();
    process.getOutputStream().close();
    String shown = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher did not end: " + shown);
    return Map.entry(process.exitValue(), shown);
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
  void watchRedrawsOneLineInPlaceOnATerminalAndExitsWhenTheJobEnds() throws Exception {
    JobclusterClient client = JobclusterClient.builder().baseUri(url).apiKey(ADMIN_KEY).build();
    String id = client.submit(JobRequest.of("sleep").withPayload("{\"ms\":3000}")).job().id();

    Map.Entry<Integer, String> watched = onTerminal("watch", id, "--interval-ms", "100");
    String shown = watched.getValue();
    assertEquals(ExitCodes.OK, watched.getKey(), shown);
    assertTrue(count(shown, ProgressLine.REDRAW) >= 3, "the line is redrawn at each read: " + shown);
    assertTrue(shown.contains(id + "  sleep on default  RUNNING  attempt 1/3"), shown);
    String last = shown.substring(shown.lastIndexOf(ProgressLine.REDRAW));
    assertTrue(last.startsWith(ProgressLine.REDRAW + id + "  sleep on default  COMPLETED  attempt 1/3  "), shown);
    assertEquals(1, count(shown, "\n"), "everything was drawn on one line, ended once: " + shown);
    assertTrue(shown.endsWith("\n"), "the line is ended when the watch ends: " + shown);
  }

  @Test
  void aFailedJobEndsTheWatchWithExitSixAndAQueueWatchEndsWhenIdle() throws Exception {
    JobclusterClient client = JobclusterClient.builder().baseUri(url).apiKey(ADMIN_KEY).build();
    String id = client.submit(JobRequest.of("fail").withPayload("{\"times\":9,\"retryable\":false}")).job().id();
    Map.Entry<Integer, String> failed = onTerminal("watch", id, "--interval-ms", "100");
    assertEquals(ExitCodes.JOB_NOT_COMPLETED, failed.getKey(), failed.getValue());
    assertTrue(failed.getValue().contains("FAILED"), failed.getValue());

    Map.Entry<Integer, String> queue = onTerminal("watch", "--queue", "default", "--until-idle", "--interval-ms", "100");
    assertEquals(ExitCodes.OK, queue.getKey(), queue.getValue());
    assertTrue(queue.getValue().contains(ProgressLine.REDRAW + "default  pending 0  scheduled 0  running 0  retrying 0"), queue.getValue());
  }
}
