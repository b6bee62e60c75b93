package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jobcluster.node.JobService;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.worker.TestHandlers;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tenants sharing a queue's worker slots: turns between tenants, and each tenant's limit of running jobs. */
class FairDispatchTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static JobclusterNode node;
  private static JobService jobs;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"shared:2,turns:1\"\n"
        + "jobcluster.limits.tenants { \"hog\" { max-running-jobs = 1 } }");
    jobs = node.jobs();
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void aTenantFloodingLongJobsRunsNoMoreThanItsLimitAndAnotherTenantsJobsStillRun() throws Exception {
    List<String> hog = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      hog.add(Jobs.submit(jobs, "hog", JobRequest.of("gate").withQueue("shared").withPriority(9).withTimeoutSeconds(600)).id());
    }
    Awaitility.await("one of hog's jobs started").atMost(TIMEOUT).until(() -> started(hog) == 1);

    List<String> guest = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      guest.add(Jobs.submit(jobs, "guest", JobRequest.of("count").withQueue("shared").withPriority(0)).id());
    }
    Jobs.awaitStatus(jobs, guest, JobStatus.COMPLETED, TIMEOUT);
    // A slot was free all along and hog had five jobs ready: its limit of one kept them waiting.
    assertEquals(1, started(hog));
    assertEquals(Map.of(JobStatus.RUNNING, 1L, JobStatus.PENDING, 5L), statuses(hog));

    String first = hog.stream().filter(id -> TestHandlers.STARTED.containsKey(id)).findFirst().orElseThrow();
    TestHandlers.gate(first).complete(null);
    Awaitility.await("hog's next job running").atMost(TIMEOUT)
        .until(() -> statuses(hog).equals(Map.of(JobStatus.COMPLETED, 1L, JobStatus.RUNNING, 1L, JobStatus.PENDING, 4L)));
    assertEquals(2, started(hog), "one at a time");

    for (String id : hog) {
      jobs.cancel(null, id, "test over").toCompletableFuture().get();
    }
  }

  @Test
  void afterAFloodOfTopPriorityJobsAnotherTenantsLowPriorityJobRunsNext() throws Exception {
    String blocker = Jobs.submit(jobs, "flood", JobRequest.of("gate").withQueue("turns").withPriority(9)).id();
    Awaitility.await("the blocker started").atMost(TIMEOUT).until(() -> TestHandlers.STARTED.containsKey(blocker));
    List<String> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiting.add(Jobs.submit(jobs, "flood", JobRequest.of("record").withQueue("turns").withPriority(9)).id());
    }
    String modest = Jobs.submit(jobs, "modest", JobRequest.of("record").withQueue("turns").withPriority(0)).id();
    waiting.add(modest);
    Awaitility.await("all six ready at the dispatcher").atMost(TIMEOUT).until(() -> DispatcherStatus.of(node, "turns").ready() == 6);

    TestHandlers.gate(blocker).complete(null);
    Jobs.awaitStatus(jobs, waiting, JobStatus.COMPLETED, TIMEOUT);

    List<String> order = TestHandlers.ORDER.stream().filter(waiting::contains).toList();
    assertEquals(6, order.size(), order.toString());
    assertEquals(modest, order.get(0), "the tenant that had no turn yet goes first, whatever the flood's priority");
  }

  private static long started(List<String> ids) {
    return ids.stream().filter(TestHandlers.STARTED::containsKey).count();
  }

  private static Map<JobStatus, Long> statuses(List<String> ids) throws Exception {
    Map<JobStatus, Long> counts = new java.util.EnumMap<>(JobStatus.class);
    for (String id : ids) {
      JobView job = Jobs.view(jobs.get(null, id).toCompletableFuture().get());
      counts.merge(job.status(), 1L, Long::sum);
    }
    return counts;
  }
}
