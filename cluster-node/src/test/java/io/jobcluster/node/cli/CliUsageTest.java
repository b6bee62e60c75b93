package io.jobcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the tool does with bad usage, bad input, no key and no server: a clear message on standard error and its exit code. */
class CliUsageTest {
  private static final String KEY = "a-key-that-must-never-be-printed-0123456789";

  @TempDir
  Path home;

  private CliRunner cli;

  @BeforeEach
  void nobodyListens() {
    // A loopback port nobody listens on: only calls that never reach the network succeed or fail as usage here.
    cli = new CliRunner(home).env(CliSettings.ENV_URL, "http://127.0.0.1:" + FreePorts.next()).env(CliSettings.ENV_API_KEY, KEY);
  }

  private CliRunner.Result refused(int exit, String message, String... args) {
    CliRunner.Result result = cli.run(args);
    assertEquals(exit, result.exit(), result.toString());
    assertTrue(result.err().contains(message), "expected '" + message + "' in: " + result);
    assertEquals("", result.out(), "failures print nothing on standard output");
    return result;
  }

  @Test
  void helpAndVersionListWhatThereIs() {
    CliRunner.Result help = cli.run("--help");
    assertEquals(0, help.exit());
    for (String command : new String[] {"node", "submit", "get", "list", "cancel", "retry", "delete", "history", "watch", "queues",
        "workers", "stats", "keys"}) {
      assertTrue(help.out().contains("\n  " + command + " "), command + " missing from: " + help.out());
    }
    assertTrue(help.out().contains("Exit codes: 0 ok"), help.out());
    assertEquals(0, cli.run("--version").exit());
    assertTrue(cli.run("submit", "--help").out().contains("--idempotency-key"));
    assertTrue(cli.run("help", "keys").out().contains("revoke"));
    assertTrue(cli.run("node", "--help").out().contains("JOBCLUSTER_*"));
  }

  @Test
  void badUsageExitsTwoAndSaysWhy() {
    refused(ExitCodes.USAGE, "name a subcommand");
    refused(ExitCodes.USAGE, "Unknown option: '--colour'", "list", "--colour");
    refused(ExitCodes.USAGE, "Unmatched argument", "frobnicate");
    refused(ExitCodes.USAGE, "name a subcommand: create, list or revoke", "keys");
    refused(ExitCodes.USAGE, "Invalid value for option '--status'", "list", "--status", "DONE");
    refused(ExitCodes.USAGE, "Missing required parameter: 'JOB_ID'", "get");
    refused(ExitCodes.USAGE, "Missing required argument", "watch");
    refused(ExitCodes.USAGE, "mutually exclusive", "watch", "some-id", "--queue", "default");
    refused(ExitCodes.USAGE, "--until-idle goes with --queue", "watch", "some-id", "--until-idle");
    refused(ExitCodes.USAGE, "give --type (or --file)", "submit");
    refused(ExitCodes.USAGE, "Invalid value for option '--run-at'", "submit", "-t", "noop", "--run-at", "tomorrow");
    refused(ExitCodes.USAGE, "--backoff takes three numbers", "submit", "-t", "noop", "--backoff", "1,2");
    refused(ExitCodes.USAGE, "backoff.maxSeconds", "submit", "-t", "noop", "--backoff", "10,2,1");
    refused(ExitCodes.USAGE, "payload is not valid JSON", "submit", "-t", "noop", "--payload", "{ms: 1}");
    refused(ExitCodes.USAGE, "--url must be an http:// or https:// address", "queues", "--url", "ftp://example.org");
    CliRunner.Result hint = refused(ExitCodes.USAGE, "--file takes the whole job from the file", "submit", "-f", "-", "-t", "noop");
    assertTrue(hint.err().contains("Try 'jobcluster submit --help'"), hint.err());
  }

  @Test
  void aFileThatIsNotAJobIsRefusedBeforeAnythingIsSent() throws Exception {
    Path file = home.resolve("job.json");
    Files.writeString(file, "{\"type\":\"noop\",\"prio\":3}");
    refused(ExitCodes.USAGE, "Unrecognized field \"prio\"", "submit", "-f", file.toString());
    Files.writeString(file, "[{\"type\":\"noop\"},{\"type\":\"noop\",\"backoff\":{\"initialSeconds\":0,\"multiplier\":1,\"maxSeconds\":1}}]");
    refused(ExitCodes.USAGE, file + ", job 1: ", "submit", "-f", file.toString());
    Files.writeString(file, "[]");
    refused(ExitCodes.USAGE, "holds no jobs", "submit", "-f", file.toString());
    Files.writeString(file, "42");
    refused(ExitCodes.USAGE, "must hold a job object", "submit", "-f", file.toString());
    refused(ExitCodes.USAGE, "cannot read " + home.resolve("missing.json"), "submit", "-f", home.resolve("missing.json").toString());
    refused(ExitCodes.USAGE, "standard input is empty", "submit", "-f", "-");
    cli.stdin("{\"type\": ");
    refused(ExitCodes.USAGE, "standard input is not valid JSON", "submit", "-f", "-");
  }

  @Test
  void withoutAKeyEveryApiCommandExitsFourAndSaysWhereAKeyGoes() {
    cli.withoutEnv(CliSettings.ENV_API_KEY);
    CliRunner.Result missing = refused(ExitCodes.AUTH, "no API key: give --api-key-file FILE, set JOBCLUSTER_API_KEY", "queues");
    assertTrue(missing.err().startsWith("jobcluster: "), missing.err());
    refused(ExitCodes.AUTH, "no API key", "keys", "list");
  }

  @Test
  void apiKeyWithoutAValueAsksForTheKey() {
    cli.withoutEnv(CliSettings.ENV_API_KEY);
    java.io.InputStream stdin = System.in;
    try {
      // Without a console picocli reads the answer from standard input.
      System.setIn(new java.io.ByteArrayInputStream("typed-key-0123456789\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      CliRunner.Result asked = cli.run("queues", "--api-key");
      assertEquals(ExitCodes.UNREACHABLE, asked.exit(), "the typed key was taken, so the call went out: " + asked);
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void aServerNobodyAnswersOnExitsSeven() {
    CliRunner.Result unreachable = refused(ExitCodes.UNREACHABLE, "cannot reach the server: GET /v1/queues failed", "queues");
    assertTrue(unreachable.err().contains("ConnectException"), unreachable.err());
    refused(ExitCodes.UNREACHABLE, "cannot reach the server: POST /v1/jobs failed", "submit", "-t", "noop", "--api-key", KEY);
  }
}
