package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example alert rules in {@code deploy/prometheus/jobcluster-alerts.yaml} (docs/OPERATIONS.md):
 * every series they select, with every label value they match on, is exported by a live node that
 * did the work behind it; every alert has its unit test; and where {@code promtool} is installed
 * (Debian: {@code apt-get install prometheus}; {@code .ci/run} installs it as root) it checks the
 * rules and runs their unit tests.
 */
class AlertRulesTest {
  private static final Path DIRECTORY = Path.of("").toAbsolutePath().getParent().resolve("deploy/prometheus");
  private static final Path RULES = DIRECTORY.resolve("jobcluster-alerts.yaml");
  private static final Path RULE_TESTS = DIRECTORY.resolve("jobcluster-alerts.test.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** Series Prometheus makes itself for every target, not the node. */
  private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
  private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "and", "or", "unless", "bool", "offset");
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
  private static final Pattern NAME = Pattern.compile("(?<![a-zA-Z0-9_:.\"])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![a-zA-Z0-9_:(])(?!\\s*\\()");

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void everySeriesAndLabelTheRulesSelectIsExportedByALiveNode() throws Exception {
    List<JsonNode> rules = alertRules();
    String scrape = scrapeAfterTheWorkTheRulesWatch();
    Map<String, List<Map<String, String>>> samples = labelsByName(scrape);

    List<String> missing = new ArrayList<>();
    for (JsonNode rule : rules) {
      String alert = rule.path("alert").asText();
      String expr = rule.path("expr").asText();
      for (String name : seriesNames(expr)) {
        if (!PROMETHEUS_SERIES.contains(name) && !samples.containsKey(name)) {
          missing.add(alert + ": no series " + name);
        }
      }
      Matcher selector = SELECTOR.matcher(expr);
      while (selector.find()) {
        String name = selector.group(1);
        if (PROMETHEUS_SERIES.contains(name) || !samples.containsKey(name)) {
          continue;
        }
        Matcher matcher = PromQuery.MATCHER.matcher(selector.group(2));
        while (matcher.find()) {
          String label = matcher.group(1);
          String value = matcher.group(2).equals("=") ? matcher.group(3) : null;
          String wanted = value == null ? label : label + "=\"" + value + "\"";
          if (samples.get(name).stream().noneMatch(labels -> labels.containsKey(label) && (value == null || value.equals(labels.get(label))))) {
            missing.add(alert + ": no " + name + " sample with " + wanted + " in " + samples.get(name));
          }
        }
      }
    }
    assertTrue(missing.isEmpty(), String.join("\n", missing));
  }

  @Test
  void everyAlertHasASeverityASummaryAndAUnitTestAndPromtoolAcceptsThem() throws Exception {
    List<JsonNode> rules = alertRules();
    assertFalse(rules.isEmpty(), "no alert rules in " + RULES);
    JsonNode tests = YAML.readTree(RULE_TESTS.toFile());
    assertEquals(List.of(RULES.getFileName().toString()), textValues(tests.path("rule_files")), "the unit tests load the rules");
    Set<String> tested = new TreeSet<>();
    tests.path("tests").forEach(test -> test.path("alert_rule_test").forEach(check -> {
      if (!check.path("exp_alerts").isEmpty()) {
        tested.add(check.path("alertname").asText());
      }
    }));
    for (JsonNode rule : rules) {
      String alert = rule.path("alert").asText();
      assertTrue(alert.startsWith("Jobcluster"), alert);
      assertTrue(Set.of("page", "ticket").contains(rule.path("labels").path("severity").asText()), alert + " has severity page or ticket");
      assertFalse(rule.path("annotations").path("summary").asText().isBlank(), alert + " has a summary");
      assertTrue(tested.contains(alert), alert + " has a unit test that expects it to fire: " + tested);
    }

    Optional<Path> promtool = onPath("promtool");
    if (promtool.isPresent()) {
      assertPromtool(promtool.get(), "check", "rules", RULES.toString());
      assertPromtool(promtool.get(), "test", "rules", RULE_TESTS.toString());
    }
  }

  @Test
  void seriesNamesAreWhatAnExpressionReadsNotItsFunctionsLabelsOrKeywords() {
    assertEquals(Set.of("jobcluster_http_request_duration_seconds_bucket", "jobcluster_http_requests_total"), seriesNames("""
        histogram_quantile(0.99, sum by (le) (rate(jobcluster_http_request_duration_seconds_bucket{method="POST",route="/v1/jobs"}[5m])))
          > 1 and on() sum without (instance) (rate(jobcluster_http_requests_total{status=~"5.."}[5m] offset 1h)) > bool 0.05"""));
    assertEquals(Set.of("jobcluster_cluster_members", "up"),
        seriesNames("max(jobcluster_cluster_members{status=\"up\"}) < count(up{job=\"jobcluster\"})"));
  }

  /** A node that ran and failed a job, let an external lease expire, and left a job pending: every counter the rules read exists. */
  private static String scrapeAfterTheWorkTheRulesWatch() throws Exception {
    JobclusterNode node = TestNodes.start(POSTGRES.settings(),
        "jobcluster.worker-queues = \"default:2\"\njobcluster.metrics.queue-refresh = 100ms\n");
    try {
      HttpTestClient http = new HttpTestClient(node);
      HttpTestClient management = HttpTestClient.management(node);
      String key = http.issueKey("ops", Set.of(Scope.SUBMIT, Scope.READ, Scope.WORK));
      String done = http.send("POST", "/v1/jobs", key, "{\"type\":\"noop\"}").body().get("id").asText();
      http.await("/v1/jobs/" + done, key, a -> a.status() == 200 && "COMPLETED".equals(a.body().get("status").asText()));
      // Leased by an external worker that never answers: its lease expires and, out of attempts, the job fails.
      String leased = http.send("POST", "/v1/jobs", key, "{\"queue\":\"external\",\"type\":\"ocr\",\"timeoutSeconds\":1,\"maxAttempts\":1}")
          .body().get("id").asText();
      HttpTestClient.Answer lease = http.send("POST", "/v1/queues/external/lease", key, "{\"workerId\":\"silent\",\"max\":1,\"waitSeconds\":10}");
      assertEquals(leased, lease.body().path("items").path(0).path("jobId").asText(), lease.text());
      http.await("/v1/jobs/" + leased, key, a -> a.status() == 200 && "FAILED".equals(a.body().get("status").asText()));
      http.send("POST", "/v1/jobs", key, "{\"queue\":\"unserved\",\"type\":\"noop\"}");
      return management.await("/metrics", null, a -> a.text().contains("jobcluster_lease_expirations_total{queue=\"external\"}")
          && a.text().contains("jobcluster_queue_oldest_pending_age_seconds{queue=\"unserved\"}")).text();
    } finally {
      node.close();
    }
  }

  /** The metric names an expression reads: identifiers that are neither functions, keywords, labels nor strings. */
  static Set<String> seriesNames(String expr) {
    String bare = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher name = NAME.matcher(bare);
    while (name.find()) {
      if (!PROMQL_WORDS.contains(name.group(1))) {
        names.add(name.group(1));
      }
    }
    return names;
  }

  /** The label sets of each series of a scrape, by metric name. */
  private static Map<String, List<Map<String, String>>> labelsByName(String scrape) {
    Map<String, List<Map<String, String>>> samples = new TreeMap<>();
    PromQuery.parse(scrape, "node").forEach(sample ->
        samples.computeIfAbsent(sample.labels().get("__name__"), name -> new ArrayList<>()).add(sample.labels()));
    return samples;
  }

  private static List<JsonNode> alertRules() throws IOException {
    List<JsonNode> rules = new ArrayList<>();
    YAML.readTree(RULES.toFile()).path("groups").forEach(group -> group.path("rules").forEach(rules::add));
    rules.forEach(rule -> assertFalse(rule.path("expr").asText().isBlank(), "an expression: " + rule));
    return rules;
  }

  private static List<String> textValues(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    return path == null ? Optional.empty() : Stream.of(path.split(File.pathSeparator))
        .map(directory -> Path.of(directory, program)).filter(Files::isExecutable).findFirst();
  }

  private static void assertPromtool(Path promtool, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(promtool.toString()));
    command.addAll(List.of(arguments));
    Path output = Files.createTempFile("promtool", ".log");
    try {
      // From the rules' directory: the unit tests name their rule file relative to it.
      Process process = new ProcessBuilder(command).directory(DIRECTORY.toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish: " + command);
      String printed = Files.readString(output, StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + printed);
      assertTrue(printed.contains("SUCCESS"), printed);
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
