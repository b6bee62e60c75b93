package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.node.FreePorts;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bootstrap mode started for real, on loopback: Pekko Management serves the contact point on its own
 * port and ClusterBootstrap forms the cluster. Discovery is the "config" method here (no Kubernetes
 * API on a test machine); the kubernetes-api settings are checked by ClusterBootstrapConfigTest.
 */
class ClusterBootstrapTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void aBootstrappingNodeServesItsContactPointAndFormsTheClusterWithoutSeedNodes() throws Exception {
    int contactPort = FreePorts.next();
    String config = String.format("""
        jobcluster.cluster.bootstrap { method = config, required-contact-points = 1, management-port = %d }
        pekko.discovery.config.services.jobcluster.endpoints = [{ host = "127.0.0.1", port = %d }]
        pekko.management.cluster.bootstrap.contact-point-discovery.stable-margin = 1s
        """, contactPort, contactPort);
    try (JobclusterNode node = TestNodes.start(POSTGRES.settings(), config)) {
      assertEquals(java.util.List.of(), node.system().settings().config().getStringList("pekko.cluster.seed-nodes"));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> seeds = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + contactPort + "/bootstrap/seed-nodes"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, seeds.statusCode(), seeds.body());
      JsonNode body = HttpTestClient.JSON.readTree(seeds.body());
      String self = "pekko://jobcluster@" + node.clusterAddress();
      assertEquals(self, body.get("selfNode").asText());
      assertTrue(body.get("seedNodes").toString().contains(self), body.toString());

      HttpTestClient management = HttpTestClient.management(node);
      assertEquals(200, management.send("GET", "/health/ready", null, null).status(), "the management port is unchanged");
      assertEquals(404, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + contactPort + "/ready")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode(), "no second set of health routes");
    }
  }
}
