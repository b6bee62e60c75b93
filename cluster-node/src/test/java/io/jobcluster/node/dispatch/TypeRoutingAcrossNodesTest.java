package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.FreePorts;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.WorkerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes in one JVM, each with a pool of the same queue for another job type: whichever node
 * runs the queue's dispatcher, the other node's pool asks it over the cluster (CBOR), and each job
 * runs on the node whose pool takes its type.
 */
class TypeRoutingAcrossNodesTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void eachJobRunsOnTheNodeWhosePoolTakesItsType() throws Exception {
    int seedPort = FreePorts.next();
    List<JobclusterNode> nodes = new ArrayList<>();
    try {
      nodes.add(TestNodes.start(POSTGRES.settings(), seedPort, "", "jobcluster.worker-queues = \"media:2:noop\""));
      nodes.add(TestNodes.start(POSTGRES.settings(), FreePorts.next(), "127.0.0.1:" + seedPort, "jobcluster.worker-queues = \"media:2:echo\""));
      JobclusterNode noopNode = nodes.get(0);
      JobclusterNode echoNode = nodes.get(1);
      Awaitility.await("two members").atMost(Duration.ofSeconds(60))
          .until(() -> noopNode.readiness().toCompletableFuture().get(30, TimeUnit.SECONDS).members() >= 2);

      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ids.add(Jobs.submit(noopNode.jobs(), JobRequest.of(i % 2 == 0 ? "noop" : "echo").withQueue("media").withPayload("{\"n\":" + i + "}")).id());
      }

      Map<String, JobView> completed = Jobs.awaitStatus(noopNode.jobs(), ids, JobStatus.COMPLETED, Duration.ofSeconds(90));
      for (JobView job : completed.values()) {
        JobclusterNode expected = job.type().equals("noop") ? noopNode : echoNode;
        assertTrue(WorkerId.runsOn(job.workerId(), expected.nodeId()), job.type() + " ran on " + job.workerId());
      }
    } finally {
      for (JobclusterNode node : nodes) {
        node.close();
      }
    }
  }
}
