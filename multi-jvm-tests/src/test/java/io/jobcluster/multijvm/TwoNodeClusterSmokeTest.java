package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two real node JVMs from the built jar on one throwaway PostgreSQL. */
@MultiJvmTest
class TwoNodeClusterSmokeTest {
  // Failure detection (~5-10 s) plus the Split Brain Resolver's stable-after (5 s, cluster.conf),
  // with margin: a survivor that downed itself would have done so within this window.
  private static final Duration DOWNING_WINDOW = Duration.ofSeconds(25);
  private static final Duration READY_LINE_TIMEOUT = Duration.ofSeconds(5);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static NodeCluster cluster(String test) {
    return NodeCluster.of("TwoNodeClusterSmokeTest-" + test, PostgresNodes.env(POSTGRES));
  }

  @Test
  void twoNodesOnOneDatabaseFormOneClusterAndAnnounceTheirAddresses() {
    try (NodeCluster cluster = cluster("forms").start(2)) {
      for (NodeProcess node : cluster.nodes()) {
        assertTrue(node.isLive(), node.name());
        // Main logs the line on its own readiness poll, which can come a moment after the
        // harness saw /health/ready answer 200.
        Poll.untilAsserted(READY_LINE_TIMEOUT, () ->
            assertEquals(1, node.logLinesContaining("Jobcluster node ready").size(), node.name() + ": one ready line"));
        String ready = node.logLinesContaining("Jobcluster node ready").get(0);
        assertTrue(ready.contains("http=" + node.spec().httpAddress()), ready);
        assertTrue(ready.contains("cluster=" + node.clusterAddress()), ready);
      }
    }
  }

  @Test
  void survivorStaysReadyWhenItsPeerIsKilledHard() {
    try (NodeCluster cluster = cluster("kill").start(2)) {
      // node-0 is the oldest member and has the lowest address, so it is the side that a
      // keep-majority or keep-oldest resolver keeps in this even split.
      NodeProcess survivor = cluster.node(0);

      cluster.node(1).kill9();

      Poll.holdsFor("node-0 stays live and ready after node-1 was killed", DOWNING_WINDOW,
          () -> survivor.isLive() && survivor.readiness().isReady());
      cluster.awaitMembers(1);
    }
  }
}
