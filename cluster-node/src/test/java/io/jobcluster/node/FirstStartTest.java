package io.jobcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.client.JobclusterClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first start, as the README's first command does it: {@link Main} in its own JVM on
 * the embedded default with no admin key. It prints a key and a curl; the key submits a job; the
 * next start reuses the key and no longer shows it.
 */
class FirstStartTest {
  private static final Pattern SHOWN_KEY = Pattern.compile("^  (jc_admin_[A-Za-z0-9_-]{43})$");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  @Test
  void theFirstStartGivesAnAdminKeyThatSubmitsAndLaterStartsReuseIt(@TempDir Path dataDir) throws Exception {
    int httpPort = FreePorts.next();
    Path keyFile = dataDir.resolve(FirstStartAdminKey.FILE_NAME);

    String key;
    try (StartedNode first = StartedNode.start(dataDir, httpPort)) {
      first.awaitLine("Submit a job:");
      key = first.lines().stream().map(SHOWN_KEY::matcher).filter(Matcher::matches).map(m -> m.group(1)).findFirst()
          .orElseThrow(() -> new AssertionError("no key printed: " + first.lines()));
      assertTrue(first.lines().stream().anyMatch(line -> line.contains("curl -s -H \"Authorization: Bearer $(cat " + keyFile + ")\"")),
          () -> "a curl that reads the key's file: " + first.lines());
      assertEquals(key, Files.readString(keyFile).strip());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
      assertTrue(submitsWith(key, httpPort), "the printed key submits a job");
    }

    try (StartedNode again = StartedNode.start(dataDir, httpPort)) {
      again.awaitLine("Submit a job:");
      assertFalse(again.lines().stream().anyMatch(line -> line.contains(key)), () -> "a later start does not show the key: " + again.lines());
      assertTrue(again.lines().stream().anyMatch(line -> line.contains("Admin key: kept in " + keyFile)), () -> String.join("\n", again.lines()));
      assertTrue(submitsWith(key, httpPort), "the same key works after a restart");
    }
  }

  private static boolean submitsWith(String key, int httpPort) {
    JobclusterClient client = JobclusterClient.builder().baseUri(URI.create("http://127.0.0.1:" + httpPort)).apiKey(key).build();
    return client.submit(JobRequest.of("noop")).created();
  }

  /** {@code java -cp <test classpath> io.jobcluster.node.Main} with a clean environment, its console collected line by line. */
  private record StartedNode(Process process, List<String> lines) implements AutoCloseable {
    static StartedNode start(Path dataDir, int httpPort) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName())
          .redirectErrorStream(true);
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(name -> name.startsWith("JOBCLUSTER_"));
      env.putAll(Map.of(
          "JOBCLUSTER_DATA_DIR", dataDir.toString(),
          "JOBCLUSTER_HTTP_PORT", Integer.toString(httpPort),
          "JOBCLUSTER_CLUSTER_PORT", Integer.toString(FreePorts.next()),
          "JOBCLUSTER_MANAGEMENT_PORT", "0"));
      StartedNode node = new StartedNode(builder.start(), new CopyOnWriteArrayList<>());
      Thread reader = new Thread(node::collect, "first-start-console");
      reader.setDaemon(true);
      reader.start();
      return node;
    }

    private void collect() {
      try (BufferedReader console = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        console.lines().forEach(lines::add);
      } catch (IOException | java.io.UncheckedIOException e) {
        lines.add("(console closed: " + e.getMessage() + ")");
      }
    }

    void awaitLine(String text) {
      Awaitility.await("console line '" + text + "'").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
          .failFast("the node exited: " + lines, () -> !process.isAlive())
          .until(() -> lines.stream().anyMatch(line -> line.contains(text)));
    }

    /** SIGTERM, as Ctrl-C would, and wait for the drain. */
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
