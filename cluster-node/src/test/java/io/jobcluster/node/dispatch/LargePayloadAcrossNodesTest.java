package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Two nodes in one JVM; only the second runs workers. Jobs submitted on the first carry a payload
 * at a limit of 300 KiB and return it as their result, so a lease carries 300 KiB and a job view
 * 600 KiB, well over Artery's default frame of 256 KiB (which drops larger messages): they are
 * leased, completed and read on both nodes only because the frame follows the payload limit.
 */
class LargePayloadAcrossNodesTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final int MAX_PAYLOAD = 300 * 1024;
  private static final String LIMIT = "jobcluster.limits.max-payload = 300KiB\njobcluster.http.max-body = 512KiB\n";

  @Test
  void aJobWithAPayloadNearTheLimitRunsOnAnotherNodeAndReturnsItAsItsResult() throws Exception {
    int seedPort = FreePorts.next();
    List<JobclusterNode> nodes = new ArrayList<>();
    try {
      nodes.add(TestNodes.start(POSTGRES.settings(), seedPort, "", LIMIT + "jobcluster.worker-queues = \"default:1\""));
      nodes.add(TestNodes.start(POSTGRES.settings(), FreePorts.next(), "127.0.0.1:" + seedPort, LIMIT + "jobcluster.worker-queues = \"big:2\""));
      JobclusterNode submitter = nodes.get(0);
      JobclusterNode worker = nodes.get(1);
      Awaitility.await("two members").atMost(Duration.ofSeconds(60))
          .until(() -> submitter.readiness().toCompletableFuture().get(30, TimeUnit.SECONDS).members() >= 2);

      List<String> ids = new ArrayList<>();
      List<String> payloads = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        // {"n":i,"s":"…"}: exactly MAX_PAYLOAD bytes
        String prefix = "{\"n\":" + i + ",\"s\":\"";
        String payload = prefix + "y".repeat(MAX_PAYLOAD - prefix.length() - 2) + "\"}";
        assertEquals(MAX_PAYLOAD, payload.length());
        payloads.add(payload);
        ids.add(Jobs.submit(submitter.jobs(), JobRequest.of("echo").withQueue("big").withPayload(payload)).id());
      }

      Map<String, JobView> completed = Jobs.awaitStatus(submitter.jobs(), ids, JobStatus.COMPLETED, Duration.ofSeconds(90));
      for (int i = 0; i < ids.size(); i++) {
        JobView job = completed.get(ids.get(i));
        assertTrue(WorkerId.runsOn(job.workerId(), worker.nodeId()), job.workerId());
        assertEquals(payloads.get(i), job.payload());
        assertEquals(payloads.get(i), job.result());
        assertEquals(1, job.attempts(), "no attempt was lost on the way");
        // Read on both nodes: the entity's answer crosses from whichever node holds it.
        for (JobclusterNode node : nodes) {
          assertEquals(payloads.get(i), Jobs.get(node.jobs(), ids.get(i)).result());
        }
      }

      // A result over http.max-body (512 KiB) from an in-JVM handler fails the job instead of getting stuck.
      String bloated = Jobs.submit(submitter.jobs(), JobRequest.of("bloat").withQueue("big").withPayload("{\"bytes\":" + (512 * 1024 + 1) + "}")).id();
      JobView failed = Jobs.awaitStatus(submitter.jobs(), List.of(bloated), JobStatus.FAILED, Duration.ofSeconds(60)).get(bloated);
      assertTrue(failed.lastError().contains("jobcluster.http.max-body"), failed.lastError());
      assertEquals(1, failed.attempts());
    } finally {
      for (JobclusterNode node : nodes) {
        node.close();
      }
    }
  }
}
