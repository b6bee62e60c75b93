package io.jobcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobcluster.node.deploy.DeployFiles;
import io.jobcluster.persistence.DatabaseSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's configuration in bootstrap mode, loaded and resolved with the environment the base
 * Kubernetes Deployment gives its container (read from deploy/k8s/base/deployment.yaml, so the
 * manifest and this test cannot drift): the kubernetes.conf overlay is layered, its values come from
 * those variables, and the seed nodes are gone.
 */
class ClusterBootstrapConfigTest {
  private static final String POD_IP = "10.244.1.7";

  @TempDir
  static Path dir;
  private static TestCertificates certificates;

  @BeforeAll
  static void certificates() throws Exception {
    certificates = TestCertificates.make(dir.resolve("tls"), "node");
  }

  /**
   * The Deployment's variables as root keys of the overrides: a {@code ${?JOBCLUSTER_X}} substitution
   * finds a root key JOBCLUSTER_X before the process environment, so application.conf reads them as it
   * reads the environment in a pod. The pod IP stands in for the downward API, the TLS mount for the
   * Secret volume, placeholders for the Secrets.
   */
  private static Config podEnvironment() {
    Map<String, Object> env = new HashMap<>();
    DeployFiles.deploymentEnv().forEach((name, variable) -> env.put(name, value(variable)));
    return ConfigFactory.parseMap(env);
  }

  private static String value(JsonNode variable) {
    if (variable.has("value")) {
      return variable.get("value").asText().replace("/etc/jobcluster/tls/", certificates.dir() + "/");
    }
    JsonNode from = variable.get("valueFrom");
    if (from.has("fieldRef")) {
      assertEquals("status.podIP", from.get("fieldRef").get("fieldPath").asText());
      return POD_IP;
    }
    String key = from.get("secretKeyRef").get("key").asText();
    return key.equals("db-url") ? "jdbc:postgresql://postgres.example.internal:5432/jobcluster" : "placeholder-" + key + "-of-at-least-32-characters";
  }

  @Test
  void theKubernetesOverlayResolvesFromTheDeploymentsEnvironment() {
    Config pod = podEnvironment();
    Config config = NodeConfig.load(NodeConfig.database(pod), pod);
    assertTrue(config.isResolved());
    assertTrue(NodeConfig.bootstraps(config));

    Config discovery = config.getConfig("pekko.management.cluster.bootstrap.contact-point-discovery");
    assertEquals("kubernetes-api", discovery.getString("discovery-method"));
    assertEquals("jobcluster", discovery.getString("service-name"));
    assertEquals(2, discovery.getInt("required-contact-point-nr"));
    assertEquals("app.kubernetes.io/name=%s", config.getString("pekko.discovery.kubernetes-api.pod-label-selector"));
    assertEquals("org.apache.pekko.discovery.kubernetes.KubernetesApiServiceDiscovery", config.getString("pekko.discovery.kubernetes-api.class"));
    assertEquals("<pod-namespace>", config.getString("pekko.discovery.kubernetes-api.pod-namespace"), "this pod's own namespace");

    assertEquals(POD_IP, config.getString("pekko.management.http.hostname"), "the contact point is on the pod's address");
    assertEquals(7626, config.getInt("pekko.management.http.port"));
    assertEquals("", config.getString("pekko.management.http.routes.health-checks"), "health is the management port's");
    assertEquals("org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap$",
        config.getString("pekko.management.http.routes.cluster-bootstrap"));
    assertEquals(List.of(), config.getStringList("pekko.cluster.seed-nodes"), "bootstrap joins, not seed nodes");

    assertEquals(POD_IP, config.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals("tls-tcp", config.getString("pekko.remote.artery.transport"));
    assertEquals("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider", config.getString("pekko.cluster.downing-provider-class"));
    assertEquals("keep-majority", config.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertEquals("0.0.0.0", config.getString("jobcluster.management.host"));
    assertEquals(8558, config.getInt("jobcluster.management.port"), "the management port stays where probes and scrapers look");
    assertEquals("jdbc:postgresql://postgres.example.internal:5432/jobcluster", config.getString("jobcluster.database.url"));
  }

  @Test
  void bootstrapSettingsOverrideTheOverlayAndTheManagementHostAndNamespaceCanBeSet() {
    Config config = NodeConfig.load(DatabaseSettings.h2(dir), ConfigFactory.parseString("""
        jobcluster.cluster.bootstrap { method = config, service-name = jobs, required-contact-points = 5,
          management-host = "127.0.0.2", management-port = 17626, pod-namespace = batch }
        """));
    assertEquals("config", config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    assertEquals("jobs", config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name"));
    assertEquals(5, config.getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
    assertEquals("127.0.0.2", config.getString("pekko.management.http.hostname"));
    assertEquals(17626, config.getInt("pekko.management.http.port"));
    assertEquals("batch", config.getString("pekko.discovery.kubernetes-api.pod-namespace"));
  }

  @Test
  void withoutABootstrapMethodTheNodeUsesSeedNodesAndNoOverlay() {
    Config config = NodeConfig.load(DatabaseSettings.h2(dir), ConfigFactory.empty());
    assertFalse(NodeConfig.bootstraps(config));
    assertEquals(List.of("pekko://jobcluster@127.0.0.1:25520"), config.getStringList("pekko.cluster.seed-nodes"));
    assertEquals("pekko.discovery", config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"),
        "the library's default: kubernetes.conf is not layered");
  }
}
