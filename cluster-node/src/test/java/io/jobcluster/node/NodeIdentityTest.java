package io.jobcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.dispatch.DispatcherStatus;
import io.jobcluster.persistence.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node restarted on the same host and port is another node in leases and worker ids, so the
 * dispatchers' reconciliation ends the leases of the previous incarnation at once.
 */
class NodeIdentityTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void aNodeRestartedOnTheSamePortHasANewIdentity() throws Exception {
    int port = FreePorts.next();
    String first;
    try (JobclusterNode node = TestNodes.start(POSTGRES.settings(), port, "", "")) {
      first = node.nodeId();
      assertEquals("127.0.0.1:" + port, node.clusterAddress());
      assertTrue(first.matches("127\\.0\\.0\\.1:" + port + "#-?[0-9]+"), first);
      String dispatcherNode = DispatcherStatus.of(node, "default").node();
      assertEquals(first, dispatcherNode, "dispatchers name nodes the same way");
    }
    try (JobclusterNode again = TestNodes.start(POSTGRES.settings(), port, "", "")) {
      assertEquals("127.0.0.1:" + port, again.clusterAddress());
      assertNotEquals(first, again.nodeId(), "a new incarnation");
    }
  }
}
