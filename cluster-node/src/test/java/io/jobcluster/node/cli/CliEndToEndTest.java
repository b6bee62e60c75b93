package io.jobcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool against a real node on a real PostgreSQL, every job subcommand through picocli with
 * captured output: tables by default, the API's JSON with --json, and the exit codes of docs/CLI.md.
 */
class CliEndToEndTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  static final String ADMIN_KEY = "admin-key-for-cli-tests-0123456789abcdef";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static JobclusterNode node;
  private static String url;

  @TempDir
  Path home;

  private CliRunner cli;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\n"
        + "jobcluster.worker-queues = \"default:4,slow:1\"\n" + TestNodes.UNLIMITED_SUBMISSIONS);
    url = "http://127.0.0.1:" + node.httpAddress().getPort();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void connect() {
    cli = new CliRunner(home).env(CliSettings.ENV_URL, url).env(CliSettings.ENV_API_KEY, ADMIN_KEY);
  }

  private static String uniqueType() {
    return "t" + UUID.randomUUID().toString().substring(0, 8);
  }

  private String submitJson(String... flags) {
    String[] args = new String[flags.length + 2];
    args[0] = "submit";
    args[1] = "--json";
    System.arraycopy(flags, 0, args, 2, flags.length);
    CliRunner.Result submitted = cli.run(args);
    assertEquals(0, submitted.exit(), submitted.toString());
    return submitted.json().get("id").asText();
  }

  private JsonNode awaitStatus(String id, String status) {
    JsonNode[] job = {null};
    Awaitility.await("job " + id + " became " + status).atMost(DEADLINE).untilAsserted(() -> {
      job[0] = cli.run("get", id, "--json").json();
      assertEquals(status, job[0].get("status").asText());
    });
    return job[0];
  }

  @Test
  void submitFromFlagsSendsEveryFieldAndGetShowsTheJobAsFieldsOrAsTheApisJson() {
    String id = submitJson("--type", "noop", "--queue", "default", "--payload", "{\"file\":\"a.png\"}", "--priority", "7",
        "--max-attempts", "2", "--timeout-seconds", "30", "--backoff", "1,2,10", "--ttl-seconds", "3600", "--tag", "cli", "--tag", "e2e");
    JsonNode job = awaitStatus(id, "COMPLETED");
    assertEquals("a.png", job.get("payload").get("file").asText(), "the payload is a JSON value, as the API writes it");
    assertEquals(7, job.get("priority").asInt());
    assertEquals(2, job.get("maxAttempts").asInt());
    assertEquals("[\"cli\",\"e2e\"]", job.get("tags").toString());

    CliRunner.Result shown = cli.run("get", id);
    assertEquals(0, shown.exit(), shown.toString());
    assertTrue(shown.out().contains("status:      COMPLETED"), shown.out());
    assertTrue(shown.out().contains("attempts:    1/2"), shown.out());
    assertTrue(shown.out().contains("payload:     {\"file\":\"a.png\"}"), shown.out());

    CliRunner.Result plain = cli.run("submit", "-t", "noop");
    assertEquals(0, plain.exit(), plain.toString());
    assertTrue(plain.out().matches("Submitted \\S+ \\(noop on default, (PENDING|RUNNING|COMPLETED)\\)\\s*"), plain.out());
  }

  @Test
  void anIdempotencyKeyAnswersTheSameJobAndSaysSo() {
    String key = "order-" + UUID.randomUUID();
    CliRunner.Result first = cli.run("submit", "-t", "noop", "-k", key);
    CliRunner.Result again = cli.run("submit", "-t", "noop", "-k", key);
    assertTrue(first.out().startsWith("Submitted "), first.toString());
    assertTrue(again.out().startsWith("Exists already (same idempotency key): "), again.toString());
    assertEquals(first.out().split(" ")[1], again.out().split(" ")[5]);

    CliRunner.Result conflict = cli.run("submit", "-t", "sleep", "-p", "{\"ms\":1}", "-k", key);
    assertEquals(ExitCodes.CONFLICT, conflict.exit(), conflict.toString());
    assertTrue(conflict.err().contains("idempotency_conflict"), conflict.err());
  }

  @Test
  void waitExitsByTheJobsOutcome() {
    CliRunner.Result completed = cli.run("submit", "-t", "sleep", "-p", "{\"ms\":300}", "--wait", "--interval-ms", "100");
    assertEquals(ExitCodes.OK, completed.exit(), completed.toString());
    assertTrue(completed.out().contains("COMPLETED"), completed.out());

    CliRunner.Result failed = cli.run("submit", "-t", "fail", "-p", "{\"times\":5,\"retryable\":false}", "--wait", "--json",
        "--interval-ms", "100");
    assertEquals(ExitCodes.JOB_NOT_COMPLETED, failed.exit(), failed.toString());
    assertEquals("FAILED", failed.json().get("status").asText());
    assertTrue(failed.json().get("lastError").asText().contains("fail"), failed.out());
  }

  @Test
  void aBatchFromAFileOrStandardInputReportsEachItemAndExitsNineWhenSomeWereRefused() throws Exception {
    Path file = home.resolve("jobs.json");
    Files.writeString(file, "[{\"type\":\"noop\"},{\"type\":\"noop\",\"priority\":3,\"payload\":{\"n\":2}}]");
    CliRunner.Result batch = cli.run("submit", "--file", file.toString(), "--wait", "--interval-ms", "100");
    assertEquals(ExitCodes.OK, batch.exit(), batch.toString());
    assertEquals(3, batch.lines().size(), batch.out());
    assertTrue(batch.lines().get(0).startsWith("#  HTTP  JOB"), batch.out());
    assertTrue(batch.lines().get(1).matches("0\\s+201\\s+\\S+\\s+COMPLETED\\s+-"), batch.out());

    CliRunner.Result partly = cli.stdin("{\"jobs\":[{\"type\":\"noop\"},{\"type\":\"noop\",\"priority\":42}]}")
        .run("submit", "-f", "-", "--json");
    assertEquals(ExitCodes.PARTIAL, partly.exit(), partly.toString());
    JsonNode items = partly.json().get("items");
    assertEquals(201, items.get(0).get("status").asInt());
    assertEquals(400, items.get(1).get("status").asInt());
    assertEquals("invalid_request", items.get(1).get("error").get("error").asText());
    assertEquals("priority", items.get(1).get("error").get("field").asText());

    CliRunner.Result single = cli.stdin("{\"type\":\"noop\",\"tags\":[\"from-stdin\"]}").run("submit", "-f", "-", "--json");
    assertEquals(0, single.exit(), single.toString());
    assertEquals("from-stdin", single.json().get("tags").get(0).asText(), "one object is one job, not a batch");

    CliRunner.Result allRefused = cli.stdin("[{\"type\":\"noop\",\"priority\":42}]").run("submit", "-f", "-");
    assertEquals(ExitCodes.USAGE, allRefused.exit(), allRefused.toString());
  }

  @Test
  void listFiltersPagesWithTheCursorAndFollowsEveryPageWithAll() {
    String type = uniqueType();
    for (int i = 0; i < 3; i++) {
      submitJson("-t", type, "-q", "nobody-works-here");
    }
    Awaitility.await("the read model shows three jobs").atMost(DEADLINE)
        .untilAsserted(() -> assertEquals(3, cli.run("list", "--type", type, "--json").json().get("items").size()));

    CliRunner.Result page = cli.run("list", "--type", type, "--limit", "2");
    assertEquals(0, page.exit(), page.toString());
    assertEquals(3, page.lines().size(), "a header and two jobs: " + page.out());
    assertTrue(page.lines().get(0).startsWith("ID"), page.out());
    assertTrue(page.lines().get(1).contains(type) && page.lines().get(1).contains("PENDING"), page.out());
    assertTrue(page.err().startsWith("More: --cursor "), page.err());
    String cursor = page.err().split(" ")[2];

    CliRunner.Result next = cli.run("list", "--type", type, "--limit", "2", "--cursor", cursor, "--json");
    assertEquals(1, next.json().get("items").size(), next.out());
    assertTrue(next.json().get("nextCursor").isNull());

    CliRunner.Result all = cli.run("list", "--type", type, "--limit", "1", "--all", "--json", "--status", "pending", "--queue", "nobody-works-here");
    assertEquals(3, all.json().get("items").size(), all.out());
    assertTrue(all.json().get("nextCursor").isNull());
    assertEquals("(none)", cli.run("list", "--type", type, "--status", "COMPLETED").lines().get(1));
  }

  @Test
  void cancelRetryDeleteAndHistoryFollowTheStateMachineAndRefusalsExitFive() {
    String sleeping = submitJson("-t", "sleep", "-p", "{\"ms\":600000}");
    CliRunner.Result unfinished = cli.run("delete", sleeping);
    assertEquals(ExitCodes.CONFLICT, unfinished.exit(), "a job that has not ended is not deleted: " + unfinished);
    CliRunner.Result cancelled = cli.run("cancel", sleeping);
    assertEquals(0, cancelled.exit(), cancelled.toString());
    assertTrue(cancelled.out().contains("CANCELLED"), cancelled.out());
    CliRunner.Result again = cli.run("cancel", sleeping);
    assertEquals(ExitCodes.CONFLICT, again.exit(), again.toString());
    assertTrue(again.err().contains("invalid_transition"), again.err());
    assertEquals("{\"id\":\"" + sleeping + "\",\"deleted\":true}", cli.run("delete", sleeping, "--json").out().strip());
    CliRunner.Result gone = cli.run("get", sleeping);
    assertEquals(ExitCodes.NOT_FOUND, gone.exit(), gone.toString());
    assertTrue(gone.err().startsWith("jobcluster: 404 not_found"), gone.err());

    String failing = submitJson("-t", "fail", "-p", "{\"times\":1,\"retryable\":false}");
    awaitStatus(failing, "FAILED");
    assertEquals(0, cli.run("retry", failing).exit());
    awaitStatus(failing, "COMPLETED");
    assertEquals(ExitCodes.CONFLICT, cli.run("retry", failing).exit(), "only FAILED jobs are redriven");

    Awaitility.await("the history shows the redrive").atMost(DEADLINE).untilAsserted(() -> {
      CliRunner.Result history = cli.run("history", failing);
      assertEquals(0, history.exit(), history.toString());
      assertTrue(history.lines().get(0).startsWith("AT"), history.out());
      assertTrue(history.out().contains("redriven with maxAttempts"), history.out());
      JsonNode items = cli.run("history", failing, "--json").json().get("items");
      assertEquals("COMPLETED", items.get(items.size() - 1).get("to").asText());
    });
    assertEquals("Deleted " + failing, cli.run("delete", failing).out().strip());
  }

  @Test
  void queuesWorkersAndStatsShowTablesOrJson() {
    submitJson("-t", "noop", "-q", "slow");
    CliRunner.Result queues = cli.run("queues");
    assertEquals(0, queues.exit(), queues.toString());
    assertTrue(queues.lines().get(0).matches("QUEUE\\s+PENDING\\s+SCHEDULED\\s+RUNNING\\s+RETRYING\\s+OLDEST\\s+WORKERS\\s+CAPACITY\\s+UNROUTABLE"), queues.out());
    assertTrue(queues.out().lines().anyMatch(line -> line.matches("slow\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\S+\\s+1\\s+1\\s+0")), queues.out());
    JsonNode queueJson = cli.run("queues", "--json").json().get("items");
    assertTrue(queueJson.isArray() && queueJson.get(0).has("oldestPendingAgeSeconds"), queueJson.toString());

    CliRunner.Result workers = cli.run("workers");
    assertTrue(workers.lines().get(0).matches("ID\\s+NODE\\s+QUEUES\\s+CAPACITY\\s+IN FLIGHT\\s+DRAINING\\s+TYPES"), workers.out());
    assertTrue(workers.out().contains("slow") && workers.out().contains(" no") && workers.out().contains("noop"), workers.out());
    assertTrue(cli.run("--json", "workers").json().get("items").get(0).has("inFlight"), "global options go before the subcommand too");

    Awaitility.await("stats count the finished job").atMost(DEADLINE).untilAsserted(() -> {
      CliRunner.Result stats = cli.run("stats", "--window", "15m");
      assertEquals(0, stats.exit(), stats.toString());
      assertTrue(stats.out().contains("Finished in the last 15m:"), stats.out());
      assertTrue(stats.out().lines().anyMatch(line -> line.matches("slow\\s+noop\\s+\\d+.*")), stats.out());
    });
    JsonNode stats = cli.run("stats", "--json").json();
    assertTrue(stats.get("total").asLong() > 0 && stats.get("byStatus").has("COMPLETED"), stats.toString());
  }

  @Test
  void keysAreIssuedListedAndRevokedAndARevokedKeyExitsFour() {
    String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 6);
    CliRunner.Result created = cli.run("keys", "create", "--tenant", tenant, "--scope", "submit,read", "--description", "from the cli", "--json");
    assertEquals(0, created.exit(), created.toString());
    String keyId = created.json().get("keyId").asText();
    String secret = created.json().get("key").asText();

    CliRunner.Result shownOnce = cli.run("keys", "create", "--tenant", tenant, "--scope", "work");
    assertEquals(0, shownOnce.exit(), shownOnce.toString());
    assertTrue(shownOnce.out().matches("(?s)key id:  \\S+\ntenant:  " + tenant + "\nscopes:  work\ncreated: \\S+\nkey:     \\S+\n"), shownOnce.out());
    assertTrue(shownOnce.err().contains("shown this once"), shownOnce.err());

    CliRunner.Result listed = cli.run("keys", "list", "--tenant", tenant);
    assertTrue(listed.lines().get(1).matches(keyId + "\\s+" + tenant + "\\s+submit,read\\s+\\S+\\s+-\\s+from the cli"), listed.out());
    assertFalse(listed.out().contains(secret), "a listing never shows a secret");

    CliRunner.Result tenantCli = new CliRunner(home).env(CliSettings.ENV_URL, url).env(CliSettings.ENV_API_KEY, secret).run("queues");
    assertEquals(0, tenantCli.exit(), tenantCli.toString());
    assertEquals(ExitCodes.AUTH, new CliRunner(home).env(CliSettings.ENV_URL, url).env(CliSettings.ENV_API_KEY, secret)
        .run("keys", "list").exit(), "the admin scope is needed: 403");

    assertEquals("Revoked " + keyId, cli.run("keys", "revoke", keyId).out().strip());
    Awaitility.await("the revoked key is refused").atMost(DEADLINE).untilAsserted(() -> {
      CliRunner.Result refused = new CliRunner(home).env(CliSettings.ENV_URL, url).env(CliSettings.ENV_API_KEY, secret).run("queues");
      assertEquals(ExitCodes.AUTH, refused.exit(), refused.toString());
      assertTrue(refused.err().contains("401 unauthorized"), refused.err());
    });
    assertEquals(ExitCodes.NOT_FOUND, cli.run("keys", "revoke", "0000000000000000").exit());
  }

  @Test
  void watchPrintsALineAtEachChangeWhenNotOnATerminalAndExitsByTheOutcome() {
    String id = submitJson("-t", "sleep", "-p", "{\"ms\":3000}");
    CliRunner.Result watched = cli.run("watch", id, "--interval-ms", "100");
    assertEquals(ExitCodes.OK, watched.exit(), watched.toString());
    assertTrue(watched.lines().get(watched.lines().size() - 1).matches(id + "  sleep on default  COMPLETED  attempt 1/3"), watched.out());
    assertTrue(watched.lines().stream().anyMatch(line -> line.contains("  RUNNING  ")), watched.out());
    assertEquals(watched.lines().size(), watched.lines().stream().distinct().count(), "a line only when something changed: " + watched.out());
    assertFalse(watched.out().contains(ProgressLine.REDRAW), "no terminal, no redrawing");

    CliRunner.Result onTerminal = cli.terminal(true).run("watch", id);
    assertEquals(ExitCodes.OK, onTerminal.exit(), onTerminal.toString());
    assertTrue(onTerminal.out().startsWith(ProgressLine.REDRAW + id + "  sleep on default  COMPLETED  attempt 1/3  "), onTerminal.out());
    assertTrue(onTerminal.out().endsWith("\n") && onTerminal.out().indexOf('\n') == onTerminal.out().length() - 1, "the line drawn in place is ended: " + onTerminal.out());
    cli.terminal(false);

    String failing = submitJson("-t", "fail", "-p", "{\"times\":3,\"retryable\":false}");
    CliRunner.Result failed = cli.run("watch", failing, "--json", "--interval-ms", "100");
    assertEquals(ExitCodes.JOB_NOT_COMPLETED, failed.exit(), failed.toString());
    assertEquals("FAILED", new CliRunner.Result(0, failed.lines().get(failed.lines().size() - 1), "").json().get("status").asText());

    submitJson("-t", "sleep", "-q", "slow", "-p", "{\"ms\":500}");
    CliRunner.Result queue = cli.run("watch", "--queue", "slow", "--until-idle", "--interval-ms", "100");
    assertEquals(ExitCodes.OK, queue.exit(), queue.toString());
    assertTrue(queue.lines().get(queue.lines().size() - 1)
        .matches("slow  pending 0  scheduled 0  running 0  retrying 0  oldest -  workers 1 \\(capacity 1\\)"), queue.out());
  }

  @Test
  void schedulesAreCreatedListedShownPausedResumedAndDeleted() {
    String id = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    CliRunner.Result created = cli.run("schedules", "create", "--id", id, "--cron", "*/1 * * * * *", "--zone", "Europe/Berlin", "-t", "noop",
        "--overlap", "skip");
    assertEquals(0, created.exit(), created.toString());
    assertTrue(created.out().contains("when:") && created.out().contains("cron */1 * * * * *"), created.out());
    assertTrue(cli.run("schedules", "list").out().contains(id));

    Awaitility.await("schedule " + id + " fired").atMost(DEADLINE).untilAsserted(() ->
        assertTrue(cli.run("schedules", "get", id, "--json").json().get("lastRuns").size() > 0));
    JsonNode paused = cli.run("schedules", "pause", id, "--json").json();
    assertTrue(paused.get("paused").asBoolean());
    assertEquals("skip", paused.get("overlap").asText());
    assertFalse(cli.run("schedules", "resume", id, "--json").json().get("paused").asBoolean());

    CliRunner.Result deleted = cli.run("schedules", "delete", id);
    assertEquals(0, deleted.exit(), deleted.toString());
    assertEquals("Deleted schedule " + id, deleted.out().trim());
    CliRunner.Result gone = cli.run("schedules", "get", id);
    assertTrue(gone.exit() != 0 && gone.err().contains("not_found"), gone.toString());
    CliRunner.Result refused = cli.run("schedules", "create", "--cron", "not a cron", "-t", "noop");
    assertTrue(refused.exit() != 0 && refused.err().contains("cron"), refused.toString());
  }
}
