package io.jobcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/bin/jobcluster node} starts a node in a JVM of its own from its JOBCLUSTER_* environment
 * (the embedded default in a directory of the test's, on free loopback ports); the tool then works
 * against it with the admin key the node made; SIGTERM stops it.
 */
class CliNodeCommandTest {
  private static final Path LAUNCHER = Path.of("../deploy/bin/jobcluster").toAbsolutePath().normalize();

  @TempDir
  Path dir;

  @Test
  void theNodeSubcommandStartsANodeThatTheToolThenUsesAndSigtermStopsIt() throws Exception {
    int http = FreePorts.next();
    int management = FreePorts.next();
    ProcessBuilder builder = new ProcessBuilder("bash", LAUNCHER.toString(), "node")
        .redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile());
    builder.environment().put("JOBCLUSTER_CLI_CLASSPATH", System.getProperty("java.class.path"));
    builder.environment().put("JOBCLUSTER_HTTP_PORT", Integer.toString(http));
    builder.environment().put("JOBCLUSTER_CLUSTER_PORT", Integer.toString(FreePorts.next()));
    builder.environment().put("JOBCLUSTER_MANAGEMENT_PORT", Integer.toString(management));
    builder.environment().put("JOBCLUSTER_DATA_DIR", dir.resolve("data").toString());
    Process node = builder.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/health/ready")).build();
      Awaitility.await("the node is ready").atMost(Duration.ofSeconds(120)).ignoreExceptions()
          .until(() -> client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

      CliRunner.Result queues = new CliRunner(dir).env(CliSettings.ENV_URL, "http://127.0.0.1:" + http)
          .env(CliSettings.ENV_API_KEY_FILE, dir.resolve("data/admin-key").toString()).run("submit", "-t", "noop", "--wait", "--json");
      assertEquals(ExitCodes.OK, queues.exit(), queues.toString());
      assertEquals("COMPLETED", queues.json().get("status").asText());
    } finally {
      node.destroy();
      assertTrue(node.waitFor(60, TimeUnit.SECONDS), "SIGTERM stopped the node: " + Files.readString(dir.resolve("node.log")));
    }
    assertEquals(143, node.exitValue(), Files.readString(dir.resolve("node.log")));
  }
}
