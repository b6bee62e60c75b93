package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.http.HttpTestClient.Answer;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** {@code GET /metrics} on the management port and the access log of a real node doing real work. */
class MetricsHttpTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static JobclusterNode node;
  private static HttpTestClient http;
  private static HttpTestClient management;
  private static String key;

  @BeforeAll
  static void start() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"default:2\"\njobcluster.metrics.queue-refresh = 100ms\n");
    http = new HttpTestClient(node);
    management = HttpTestClient.management(node);
    key = http.issueKey("acme", Set.of(Scope.SUBMIT, Scope.READ));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void metricsCountJobsRequestsQueuesAndMembersInThePrometheusFormat() throws Exception {
    Answer before = management.send("GET", "/metrics", null, null);
    String id = http.send("POST", "/v1/jobs", key, "{\"type\":\"noop\"}").body().get("id").asText();
    http.await("/v1/jobs/" + id, key, a -> a.status() == 200 && a.body().get("status").asText().equals("COMPLETED"));
    String failing = http.send("POST", "/v1/jobs", key, """
        {"type": "fail", "payload": {"times": 1}, "backoff": {"initialSeconds": 0.01, "maxSeconds": 0.01, "multiplier": 1}}""")
        .body().get("id").asText();
    http.await("/v1/jobs/" + failing, key, a -> a.status() == 200 && a.body().get("status").asText().equals("COMPLETED"));
    http.send("POST", "/v1/jobs", key, "{\"queue\":\"parked\",\"type\":\"noop\"}");

    Answer scraped = management.await("/metrics", null, a -> value(a, "jobcluster_queue_jobs{queue=\"parked\",status=\"PENDING\"}") == 1);
    assertEquals(200, scraped.status());
    assertEquals("text/plain; version=0.0.4; charset=UTF-8", scraped.header("Content-Type"));
    assertEquals(3, delta(before, scraped, "jobcluster_jobs_submitted_total{queue=\"default\",type=\"noop\"}")
        + delta(before, scraped, "jobcluster_jobs_submitted_total{queue=\"default\",type=\"fail\"}")
        + delta(before, scraped, "jobcluster_jobs_submitted_total{queue=\"parked\",type=\"noop\"}"));
    assertEquals(1, delta(before, scraped, "jobcluster_jobs_completed_total{queue=\"default\",type=\"noop\"}"));
    assertEquals(1, delta(before, scraped, "jobcluster_jobs_retried_total{queue=\"default\",type=\"fail\"}"));
    assertEquals(3, delta(before, scraped, "jobcluster_dispatch_latency_seconds_count{queue=\"default\"}"), "two attempts of one job, one of the other");
    assertEquals(3, delta(before, scraped, "jobcluster_attempt_run_seconds_count{queue=\"default\",type=\"fail\"}")
        + delta(before, scraped, "jobcluster_attempt_run_seconds_count{queue=\"default\",type=\"noop\"}"));
    assertEquals(3, delta(before, scraped, "jobcluster_http_requests_total{method=\"POST\",route=\"/v1/jobs\",status=\"201\"}"));
    assertTrue(value(scraped, "jobcluster_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/jobs/{id}\"}") >= 2);
    assertEquals(1, value(scraped, "jobcluster_cluster_members{status=\"up\"}"));
    assertEquals(0, value(scraped, "jobcluster_cluster_unreachable_members"));
    assertTrue(value(scraped, "jobcluster_queue_oldest_pending_age_seconds{queue=\"parked\"}") >= 0);
    assertFalse(scraped.text().contains(id), "no job ids in metrics labels");
    assertFalse(scraped.text().contains("acme"), "no tenant names in metrics labels by default");
  }

  @Test
  void theApiPortServesNoMetricsAndTheManagementPortServesNoApi() throws Exception {
    assertTrue(node.managementAddress().getAddress().isLoopbackAddress(), node.managementAddress().toString());
    assertEquals(404, http.send("GET", "/metrics", null, null).status());
    assertEquals(404, management.send("GET", "/v1/jobs", key, null).status());
    assertEquals(404, management.send("GET", "/v1/openapi.json", null, null).status());
    assertEquals(200, management.send("GET", "/health/live", null, null).status());
    assertEquals(200, management.send("GET", "/health/ready", null, null).status());
    assertEquals(200, http.send("GET", "/health/ready", null, null).status(), "deploy scripts and probes still use the API port's health");
  }

  @Test
  void metricsShowTheJvmTheProcessTheCommonPoolAndBothConnectionPools() throws Exception {
    Answer scraped = management.send("GET", "/metrics", null, null);
    assertEquals(200, scraped.status());
    String text = scraped.text();
    for (String series : List.of("jvm_memory_used_bytes{area=\"heap\",", "jvm_gc_memory_allocated_bytes_total ", "jvm_threads_live_threads ",
        "jvm_classes_loaded_classes ", "process_cpu_usage ", "system_cpu_count ", "process_uptime_seconds ", "process_files_open_files ",
        "executor_parallelism_threads{name=\"common\"} ", "hikaricp_connections_max{pool=\"jobcluster-read-model\"} ",
        "hikaricp_connections_max{pool=\"jobcluster-api-keys\"} ")) {
      assertTrue(text.contains("\n" + series), series + " missing from:\n" + text);
    }
    assertEquals(4, value(scraped, "hikaricp_connections_max{pool=\"jobcluster-read-model\"}"), "the read model's pool-size");
    assertTrue(value(scraped, "jvm_threads_live_threads") > 0);
  }

  @Test
  void everyRequestWritesOneAccessLogLineWithItsTemplateAndNoSecretOrId() throws Exception {
    Logger access = (Logger) LoggerFactory.getLogger(RequestObserver.ACCESS_LOGGER);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    Level level = access.getLevel();
    access.setLevel(Level.INFO);
    access.addAppender(lines);
    try {
      // A queue no worker serves: a job run here would still be counted while the metrics test scrapes.
      String id = http.send("POST", "/v1/jobs", key, "{\"queue\":\"logged\",\"type\":\"noop\"}", "X-Request-Id", "trace-123")
          .body().get("id").asText();
      Answer got = http.send("GET", "/v1/jobs/" + id + "?secret=query", key, null);
      assertEquals(200, got.status());
      assertTrue(got.header("X-Request-Id").matches("[0-9a-f-]{36}"), "a request id is made up when none was sent");
      http.send("GET", "/v1/jobs", "jc_unknown_" + "s".repeat(40), null);
      http.send("GET", "/no/such/path", null, null);

      List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertTrue(logged.stream().anyMatch(line -> line.startsWith("request method=POST route=/v1/jobs status=201 ms=")
          && line.contains(" tenant=acme key=") && line.endsWith(" request_id=trace-123")), String.join("\n", logged));
      assertTrue(logged.stream().anyMatch(line -> line.startsWith("request method=GET route=/v1/jobs/{id} status=200 ")), String.join("\n", logged));
      assertTrue(logged.stream().anyMatch(line -> line.startsWith("request method=GET route=/v1/jobs status=401 ")
          && line.contains("tenant=- key=-")), String.join("\n", logged));
      assertTrue(logged.stream().anyMatch(line -> line.startsWith("request method=GET route=unmatched status=404 ")), String.join("\n", logged));
      for (String line : logged) {
        assertFalse(line.contains(key) || line.contains(key.substring(key.length() - 43)), "the key's secret is never logged: " + line);
        assertFalse(line.contains(id) || line.contains("secret=query") || line.contains("sssss"), "no ids, queries or keys: " + line);
      }
    } finally {
      access.detachAppender(lines);
      access.setLevel(level);
    }
  }

  private static double delta(Answer before, Answer after, String series) {
    return value(after, series) - value(before, series);
  }

  /** The value of one sample line, or 0 when the series is absent. */
  private static double value(Answer scrape, String series) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape.text());
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
