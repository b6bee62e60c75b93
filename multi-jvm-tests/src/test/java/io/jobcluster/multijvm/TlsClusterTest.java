package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.wire.WorkerInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes whose cluster transport is TLS with mutual authentication (certificates made by
 * deploy/tls/make-test-certs.sh) form a cluster and run jobs; a node that presents a certificate of
 * another CA, even one that trusts the cluster's CA, never becomes a member, and the cluster works on.
 */
@MultiJvmTest
class TlsClusterTest {
  private static final String ADMIN_KEY = "tls-admin-0123456789abcdefghijklmnopqrstuvwxyz";
  private static final int JOBS_PER_NODE = 10;
  private static final Duration JOBS_TIMEOUT = Duration.ofSeconds(60);
  /** Several join attempts of the stranger (its seed-node timeout is 2 s) and well past the time a joining node takes to be Up. */
  private static final Duration STRANGER_WINDOW = Duration.ofSeconds(20);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @TempDir
  static Path certificates;

  @Test
  void aTlsClusterOfThreeRunsJobsAndANodeWithACertificateOfAnotherCaNeverJoins() {
    ClusterCertificates ca = ClusterCertificates.make(certificates.resolve("cluster-ca"), "node-0", "node-1", "node-2");
    ClusterCertificates otherCa = ClusterCertificates.make(certificates.resolve("other-ca"), "stranger");
    Map<String, String> env = new HashMap<>(PostgresNodes.env(POSTGRES));
    env.put(NodeEnv.ADMIN_KEY, ADMIN_KEY);
    env.put(NodeEnv.WORKER_QUEUES, "default:4");

    try (NodeCluster cluster = NodeCluster.of("TlsClusterTest", NodeCommand.nodeJar(), env, ca::env).start(3)) {
      for (NodeProcess node : cluster.nodes()) {
        assertFalse(node.logLinesContaining("Remoting started with transport [Artery tls-tcp]").isEmpty(), node.name() + " runs Artery over TLS");
      }
      JobclusterClient admin = client(cluster.node(0), ADMIN_KEY);
      String key = admin.issueKey("tls", List.of("submit", "read"), "TLS cluster test").key();
      Set<String> members = cluster.nodes().stream().map(NodeProcess::clusterAddress).collect(Collectors.toCollection(TreeSet::new));
      assertEquals(members, workerNodes(admin), "every node's worker pool is seen across the cluster");
      runJobsThroughEveryNode(cluster, key);

      Map<String, String> strangerEnv = new HashMap<>(env);
      strangerEnv.putAll(otherCa.env("stranger", ca));
      strangerEnv.put(NodeEnv.SEED_NODES, cluster.node(0).clusterAddress());
      NodeProcess stranger = NodeProcess.launch(NodeSpec.create("stranger", NodeCommand.nodeJar(), strangerEnv, cluster.logDir()));
      try {
        Poll.holdsFor("the cluster keeps three members and the stranger never becomes a ready member", STRANGER_WINDOW,
            () -> !stranger.readiness().isReady()
                // A probe that got no answer on a busy machine says nothing; a count other than three does.
                && cluster.nodes().stream().allMatch(node -> node.readiness().members().orElse(3) == 3));
        // Why: the cluster refused the stranger's certificate in the TLS handshake (mutual authentication).
        assertFalse(stranger.logLinesContaining("SSLHandshakeException").isEmpty(), "the stranger's handshakes failed");
        assertEquals(members, workerNodes(admin), "no worker pool of the stranger");
        runJobsThroughEveryNode(cluster, key);
      } finally {
        stranger.kill9();
      }
    }
  }

  /** Submits jobs through each node and waits until every one completed. */
  private static void runJobsThroughEveryNode(NodeCluster cluster, String key) {
    List<JobclusterClient> clients = cluster.nodes().stream().map(node -> client(node, key)).toList();
    List<String> ids = new ArrayList<>();
    for (JobclusterClient client : clients) {
      for (int i = 0; i < JOBS_PER_NODE; i++) {
        ids.add(client.submit(JobRequest.of("noop")).job().id());
      }
    }
    Poll.untilAsserted(JOBS_TIMEOUT, () -> {
      for (int i = 0; i < ids.size(); i++) {
        // Read through another node than the one that took the job: entities live across the cluster.
        assertEquals(JobStatus.COMPLETED, clients.get((i + 1) % clients.size()).get(ids.get(i)).status(), ids.get(i));
      }
    });
  }

  /** The cluster addresses of the nodes whose worker pools are registered, as node-0 sees them. */
  private static Set<String> workerNodes(JobclusterClient admin) {
    return admin.workers().stream().map(WorkerInfo::node).map(node -> node.substring(0, node.indexOf('#')))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static JobclusterClient client(NodeProcess node, String key) {
    return JobclusterClient.builder().baseUri(node.spec().baseUri()).apiKey(key).requestTimeout(Duration.ofSeconds(15)).build();
  }
}
