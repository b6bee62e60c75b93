package io.jobcluster.node.dispatch;

import static io.jobcluster.node.dispatch.Jobs.TENANT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobService;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.worker.TestHandlers;
import io.jobcluster.node.worker.handler.JobContext;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.BackoffPolicy;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One node on a real PostgreSQL with worker pools on several queues, driven through JobService. */
class WorkerDispatchTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static JobclusterNode node;
  private static JobService jobs;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNodes.start(POSTGRES.settings(),
        "jobcluster.worker-queues = \"default:8,media:4,etl:2,prio:1,retry:2,hang:2,cancel:1,bp:1\"");
    jobs = node.jobs();
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void tenThousandJobsOverSeveralQueuesAndPrioritiesAllCompleteAndEachRunsExactlyOnce() throws Exception {
    Random random = new Random(7);
    List<String> queues = List.of("default", "media", "etl");
    List<JobRequest> requests = IntStream.range(0, 10_000)
        .mapToObj(i -> JobRequest.of("count").withQueue(queues.get(i % 3)).withPriority(random.nextInt(10)).withPayload("{\"n\":" + i + "}"))
        .toList();

    List<String> ids = Jobs.submitAll(jobs, requests);
    Map<String, JobView> completed = Jobs.awaitStatus(jobs, ids, JobStatus.COMPLETED, Duration.ofMinutes(5));

    assertEquals(10_000, completed.size());
    for (String id : ids) {
      assertEquals(1, TestHandlers.EXECUTIONS.get(id).get(), "executions of " + id);
      assertEquals(1, completed.get(id).attempts(), "attempts of " + id);
    }
  }

  @Test
  void aHandlerSeesTheWorkerItsLeaseNames() throws Exception {
    JobView job = Jobs.submit(jobs, JobRequest.of("gate").withQueue("media"));
    JobContext context = TestHandlers.started(job.id()).get(30, TimeUnit.SECONDS);

    JobView running = Jobs.get(jobs, job.id());
    assertEquals(JobStatus.RUNNING, running.status());
    assertEquals(running.workerId(), context.workerId());
    assertEquals(node.nodeId() + "/media", context.workerId());
    TestHandlers.gate(job.id()).complete(null);
    Jobs.awaitStatus(jobs, List.of(job.id()), JobStatus.COMPLETED, TIMEOUT);
  }

  @Test
  void aBacklogOnOneSlotRunsStrictlyByPriorityThenInSubmissionOrder() throws Exception {
    JobView blocker = Jobs.submit(jobs, JobRequest.of("gate").withQueue("prio"));
    TestHandlers.started(blocker.id()).get(30, TimeUnit.SECONDS);

    Random random = new Random(11);
    List<JobView> backlog = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      backlog.add(Jobs.submit(jobs, JobRequest.of("record").withQueue("prio").withPriority(random.nextInt(4))));
    }
    awaitReady("prio", backlog.size());
    TestHandlers.gate(blocker.id()).complete(null);
    Jobs.awaitStatus(jobs, backlog.stream().map(JobView::id).toList(), JobStatus.COMPLETED, TIMEOUT);

    List<String> expected = backlog.stream()
        .sorted(Comparator.comparingInt(JobView::priority).reversed().thenComparing(JobView::createdAt))
        .map(JobView::id).toList();
    List<String> ran = TestHandlers.ORDER.stream().filter(expected::contains).toList();
    assertEquals(expected, ran);
  }

  @Test
  void aJobFailingTwiceCompletesOnItsThirdAttemptAfterBackoffsWithinThePolicy() throws Exception {
    BackoffPolicy backoff = BackoffPolicy.exponential(1, 2, 10);
    JobView job = Jobs.submit(jobs, JobRequest.of("fail").withQueue("retry").withPayload("{\"times\":2}").withMaxAttempts(3).withBackoff(backoff));

    JobView done = Jobs.awaitStatus(jobs, List.of(job.id()), JobStatus.COMPLETED, TIMEOUT).get(job.id());
    assertEquals(3, done.attempts());

    List<JobEvent.AttemptFailed> failures = JournalEvents.ofType(node.system(), job.id(), JobEvent.AttemptFailed.class);
    List<JobEvent.Leased> leases = JournalEvents.ofType(node.system(), job.id(), JobEvent.Leased.class);
    assertEquals(2, failures.size());
    assertEquals(3, leases.size());
    for (int n = 1; n <= 2; n++) {
      JobEvent.AttemptFailed failure = failures.get(n - 1);
      Duration waited = Duration.between(failure.at(), failure.retryAt());
      Duration ceiling = backoff.ceilingAfter(n);
      assertTrue(waited.compareTo(ceiling.dividedBy(2)) >= 0 && waited.compareTo(ceiling) <= 0, "backoff " + waited + " after attempt " + n);
      Duration gap = Duration.between(failure.at(), leases.get(n).at());
      assertTrue(gap.compareTo(waited) >= 0 && gap.compareTo(waited.plusSeconds(5)) <= 0, "next lease " + gap + " after attempt " + n);
    }
  }

  @Test
  void exhaustedRetriesEndInFailedAndARedriveCompletesTheJob() throws Exception {
    JobView job = Jobs.submit(jobs, JobRequest.of("fail").withQueue("retry").withPayload("{\"times\":2}").withMaxAttempts(2)
        .withBackoff(BackoffPolicy.exponential(0.2, 1, 0.2)));

    JobView failed = Jobs.awaitStatus(jobs, List.of(job.id()), JobStatus.FAILED, TIMEOUT).get(job.id());
    assertEquals(2, failed.attempts());
    assertTrue(failed.lastError().contains("attempt 2"), failed.lastError());

    assertEquals(JobStatus.PENDING, Jobs.view(jobs.retry(TENANT, job.id()).toCompletableFuture().get(30, TimeUnit.SECONDS)).status());
    JobView completed = Jobs.awaitStatus(jobs, List.of(job.id()), JobStatus.COMPLETED, TIMEOUT).get(job.id());
    assertEquals(3, completed.attempts());
  }

  @Test
  void aHungAttemptLosesItsLeaseTheJobRunsAgainAndTheLateResultIsRejected() throws Exception {
    JobView job = Jobs.submit(jobs, JobRequest.of("hang-once").withQueue("hang").withTimeoutSeconds(2)
        .withBackoff(BackoffPolicy.exponential(0.2, 1, 0.2)));
    TestHandlers.started(job.id()).get(30, TimeUnit.SECONDS);

    JobView completed = Jobs.awaitStatus(jobs, List.of(job.id()), JobStatus.COMPLETED, TIMEOUT).get(job.id());
    assertEquals(2, completed.attempts());
    assertEquals("{\"attempt\":2}", completed.result());

    String firstLease = JournalEvents.ofType(node.system(), job.id(), JobEvent.Leased.class).get(0).leaseId();
    JobReply late = jobs.complete(null, job.id(), firstLease, "{\"attempt\":1}").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(ErrorCode.INVALID_TRANSITION, assertInstanceOf(JobReply.Rejected.class, late).error());
    TestHandlers.gate(job.id()).complete(null);
    assertEquals("{\"attempt\":2}", Jobs.get(jobs, job.id()).result());
  }

  @Test
  void cancellingARunningSleepJobReachesItsHandlerAndFreesTheSlot() throws Exception {
    JobView sleeper = Jobs.submit(jobs, JobRequest.of("sleep").withQueue("cancel").withPayload("{\"ms\":600000}").withTimeoutSeconds(900));
    Jobs.awaitStatus(jobs, List.of(sleeper.id()), JobStatus.RUNNING, TIMEOUT);
    JobView next = Jobs.submit(jobs, JobRequest.of("count").withQueue("cancel"));

    JobView cancelled = Jobs.view(jobs.cancel(TENANT, sleeper.id(), "not needed").toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertEquals(JobStatus.CANCELLED, cancelled.status());

    // The queue has one slot: the next job runs only once the sleeping handler has stopped.
    Jobs.awaitStatus(jobs, List.of(next.id()), JobStatus.COMPLETED, Duration.ofSeconds(60));
    assertEquals(JobStatus.CANCELLED, Jobs.get(jobs, sleeper.id()).status());
  }

  @Test
  void aQueueWithOneSlotRunsOneJobAtATimeAndHoldsAtMostOneMoreWhoseResultIsOnItsWay() throws Exception {
    TestHandlers.MOST_AT_ONCE.set(0);
    List<String> ids = Jobs.submitAll(jobs, IntStream.range(0, 1_000).mapToObj(i -> JobRequest.of("probe").withQueue("bp")).toList());

    // Samples the pool's leases at every poll until every job ran.
    AtomicInteger mostLeased = new AtomicInteger();
    Awaitility.await("every probe executed").atMost(Duration.ofMinutes(3)).until(() -> {
      var status = DispatcherStatus.of(node, "bp");
      status.pools().forEach(pool -> mostLeased.accumulateAndGet(pool.leases(), Math::max));
      return ids.stream().allMatch(id -> TestHandlers.EXECUTIONS.containsKey(id));
    });
    Jobs.awaitStatus(jobs, ids, JobStatus.COMPLETED, TIMEOUT);
    // A slot is free again when its handler finished; the result it reports holds the lease meanwhile.
    assertTrue(mostLeased.get() <= 2, "leases held by the one-slot pool: " + mostLeased);
    assertEquals(1, TestHandlers.MOST_AT_ONCE.get(), "probes running at once");
  }

  private static void awaitReady(String queue, int count) {
    Awaitility.await("the dispatcher of " + queue + " holding " + count + " ready jobs").atMost(TIMEOUT)
        .until(() -> DispatcherStatus.of(node, queue).ready() >= count);
  }
}
