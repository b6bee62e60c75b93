package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.node.deploy.DeployFiles;
import io.jobcluster.node.worker.TestHandlers;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The autoscaling recipe's queries (deploy/k8s/autoscaling, read from the files) against the live
 * /metrics of two real nodes, as Prometheus would combine their scrapes: jobs pending on a queue
 * nobody serves, jobs running and waiting on a served one. The cluster-wide gauges appear on both
 * nodes, so the recipe must take their max; the slot gauges are per node and must be summed.
 */
class QueueAutoscalingMetricsTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final Path AUTOSCALING = DeployFiles.DEPLOY.resolve("k8s/autoscaling");
  private static final String NODE_CONFIG = "jobcluster.worker-queues = \"default:2\"\njobcluster.metrics.queue-refresh = 100ms\n";

  @Test
  void theRecipesQueriesGiveTheBacklogAgeAndSlotsOfTheJobsSubmitted() throws Exception {
    try (JobclusterNode first = TestNodes.start(POSTGRES.settings(), NODE_CONFIG);
        JobclusterNode second = TestNodes.start(POSTGRES.settings(), NODE_CONFIG, first.clusterAddress())) {
      HttpTestClient http = new HttpTestClient(first);
      String key = http.issueKey("acme", Set.of(Scope.SUBMIT, Scope.READ));
      List<String> gates = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        gates.add(http.send("POST", "/v1/jobs", key, "{\"type\":\"gate\",\"timeoutSeconds\":600}").body().get("id").asText());
      }
      for (int i = 0; i < 5; i++) {
        http.send("POST", "/v1/jobs", key, "{\"queue\":\"parked\",\"type\":\"noop\"}");
      }
      try {
        // Four slots (two per node) run four gates; three wait; five wait on a queue nobody serves.
        Awaitility.await("four attempts running").atMost(Duration.ofSeconds(60))
            .until(() -> gates.stream().filter(id -> TestHandlers.started(id).isDone()).count() == 4);
        Map<String, Double> expected = Map.of(
            "jobcluster_queue_jobs{queue=\"default\",status=\"PENDING\"}", 3.0,
            "jobcluster_queue_jobs{queue=\"default\",status=\"RUNNING\"}", 4.0,
            "jobcluster_queue_jobs{queue=\"parked\",status=\"PENDING\"}", 5.0,
            "jobcluster_worker_slots_busy{queue=\"default\"}", 2.0);
        List<PromQuery.Sample> series = new ArrayList<>();
        Awaitility.await("both nodes report the jobs").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          series.clear();
          series.addAll(scrape(first, "node-a", expected));
          series.addAll(scrape(second, "node-b", expected));
        });

        JsonNode keda = DeployFiles.document(AUTOSCALING.resolve("keda-scaledobject.yaml"));
        Map<String, String> kedaQueries = new HashMap<>();
        keda.get("spec").get("triggers").forEach(trigger -> kedaQueries.put(trigger.get("name").asText(),
            trigger.get("metadata").get("query").asText()));
        assertEquals(7, PromQuery.single(kedaQueries.get("backlog"), series), "pending + running, each counted once");
        double age = PromQuery.single(kedaQueries.get("oldest-pending-age"), series);
        assertTrue(age > 0 && age < 120, "the oldest pending job's age: " + age);

        Map<String, String> adapter = adapterQueries();
        String matchers = hpaSelector("jobcluster_queue_backlog");
        assertEquals("queue=\"default\"", matchers);
        assertEquals(7, PromQuery.single(adapter.get("jobcluster_queue_backlog").replace("<<.LabelMatchers>>", matchers), series));
        assertEquals(5, PromQuery.single(adapter.get("jobcluster_queue_backlog").replace("<<.LabelMatchers>>", "queue=\"parked\""), series),
            "the queue nobody serves: its whole backlog");
        assertEquals(age, PromQuery.single(adapter.get("jobcluster_queue_oldest_pending_age_seconds")
            .replace("<<.LabelMatchers>>", hpaSelector("jobcluster_queue_oldest_pending_age_seconds")), series), 5);
        assertEquals(4, PromQuery.single(adapter.get("jobcluster_worker_slots_total").replace("<<.LabelMatchers>>", matchers), series),
            "two slots on each node");
        assertEquals(4, PromQuery.single(adapter.get("jobcluster_worker_slots_busy_total").replace("<<.LabelMatchers>>", matchers), series));
        assertEquals(14, PromQuery.single("sum(jobcluster_queue_jobs{queue=\"default\",status=~\"PENDING|RUNNING\"})", series),
            "summing the cluster-wide gauge over the nodes would count every job twice");
      } finally {
        gates.forEach(id -> TestHandlers.gate(id).complete(null));
      }
      for (String id : gates) {
        http.await("/v1/jobs/" + id, key, a -> a.status() == 200 && a.body().get("status").asText().equals("COMPLETED"));
      }
    }
  }

  private static List<PromQuery.Sample> scrape(JobclusterNode node, String instance, Map<String, Double> expected) throws Exception {
    String text = HttpTestClient.management(node).send("GET", "/metrics", null, null).text();
    List<PromQuery.Sample> samples = PromQuery.parse(text, instance);
    expected.forEach((series, value) -> assertEquals(List.of(value), values(series, samples), instance + " " + series));
    assertEquals(List.of(2.0), values("jobcluster_worker_slots{queue=\"default\"}", samples), instance);
    return samples;
  }

  /** What a query gives, as values: an assertion (which Awaitility retries) rather than an exception when a series is missing yet. */
  private static List<Double> values(String query, List<PromQuery.Sample> samples) {
    return PromQuery.evaluate(query, samples).stream().map(PromQuery.Sample::value).toList();
  }

  /** The adapter's external rules: the metric name each one serves to its metricsQuery. */
  private static Map<String, String> adapterQueries() throws Exception {
    JsonNode configMap = DeployFiles.document(AUTOSCALING.resolve("prometheus-adapter-rules.yaml"));
    JsonNode config = DeployFiles.yaml(configMap.get("data").get("config.yaml").asText());
    Map<String, String> queries = new HashMap<>();
    config.get("externalRules").forEach(rule -> queries.put(rule.get("name").get("as").asText(), rule.get("metricsQuery").asText()));
    return queries;
  }

  /** The HPA's selector of an external metric as the adapter passes it in {@code <<.LabelMatchers>>}. */
  private static String hpaSelector(String metric) {
    JsonNode hpa = DeployFiles.document(AUTOSCALING.resolve("hpa.yaml"));
    for (JsonNode entry : hpa.get("spec").get("metrics")) {
      JsonNode external = entry.get("external");
      if (external.get("metric").get("name").asText().equals(metric)) {
        List<String> matchers = new ArrayList<>();
        external.get("metric").get("selector").get("matchLabels").fields()
            .forEachRemaining(label -> matchers.add(label.getKey() + "=\"" + label.getValue().asText() + "\""));
        return String.join(",", matchers);
      }
    }
    throw new IllegalStateException("the HPA has no metric " + metric);
  }
}
