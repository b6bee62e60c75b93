package io.jobcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.dispatch.Jobs;
import io.jobcluster.node.job.JobEntity;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.protocol.BackoffPolicy;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A few hundred jobs in every kind of state survive the end of their actor system: a fresh system
 * on the same database answers each job as it was, and deadlines that passed while no node was
 * running fire right after recovery, without anyone asking for those jobs. Leases are the
 * exception: a RUNNING job's lease counts afresh from its recovery (its worker could not heartbeat
 * while no node ran), so a lease that ran out while down ends one lease period after recovery.
 */
abstract class JobRecoveryContract {
  private static final String TENANT = "acme";
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
  /** Deadlines that must pass while the node is down: long enough to submit and shut down cleanly on a slow machine. */
  private static final Duration DOWNTIME_DEADLINE = Duration.ofSeconds(20);
  private static final BackoffPolicy HOUR_BACKOFF = BackoffPolicy.exponential(3600, 2, 7200);

  protected abstract DatabaseSettings database();

  private enum Kind {
    PENDING, SCHEDULED_LATER, SCHEDULED_DUE, RUNNING, LEASE_DUE, RETRYING, COMPLETED, FAILED, CANCELLED, EXPIRY_DUE
  }

  private record Tracked(String id, Kind kind, JobView before) {}

  @Test
  void jobsSurviveARestartAndDeadlinesThatPassedWhileDownFireRightAfterRecovery() throws Exception {
    Instant dueAt;
    List<Tracked> jobs = new ArrayList<>();
    try (JobclusterNode node = startNode()) {
      JobService service = node.jobs();
      Instant start = Instant.now();
      dueAt = start.plus(DOWNTIME_DEADLINE);
      int secondsToDue = (int) DOWNTIME_DEADLINE.toSeconds();
      Map<Kind, Integer> counts = new LinkedHashMap<>();
      counts.put(Kind.PENDING, 60);
      counts.put(Kind.SCHEDULED_LATER, 30);
      counts.put(Kind.SCHEDULED_DUE, 30);
      counts.put(Kind.RUNNING, 30);
      counts.put(Kind.LEASE_DUE, 30);
      counts.put(Kind.RETRYING, 20);
      counts.put(Kind.COMPLETED, 30);
      counts.put(Kind.FAILED, 20);
      counts.put(Kind.CANCELLED, 20);
      counts.put(Kind.EXPIRY_DUE, 30);

      List<CompletableFuture<Tracked>> created = new ArrayList<>();
      for (var entry : counts.entrySet()) {
        for (int i = 0; i < entry.getValue(); i++) {
          created.add(create(service, entry.getKey(), i, dueAt, secondsToDue).toCompletableFuture());
        }
      }
      for (var future : created) {
        jobs.add(future.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      }
    }
    assertTrue(Instant.now().isBefore(dueAt),
        "the first node took longer than " + DOWNTIME_DEADLINE + " to submit and stop; the deadlines did not pass while it was down");
    // The deadlines have to pass while no node runs: wait for the clock, not for another thread.
    long waitMillis = Duration.between(Instant.now(), dueAt).toMillis() + 500;
    CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(waitMillis, TimeUnit.MILLISECONDS)).join();

    try (JobclusterNode node = startNode()) {
      Map<Kind, Predicate<JobEvent>> firedAfterRecovery = Map.of(
          Kind.SCHEDULED_DUE, event -> event instanceof JobEvent.MadePending,
          Kind.LEASE_DUE, event -> event instanceof JobEvent.AttemptFailed failed && failed.cause() == FailureCause.LEASE_EXPIRED,
          Kind.EXPIRY_DUE, event -> event instanceof JobEvent.Expired);
      awaitEvents(node, jobs, firedAfterRecovery);
      Map<String, JobView> renewed = awaitRenewed(node, jobs);

      for (Tracked job : jobs) {
        JobView after = view(node.jobs().get(TENANT, job.id()).toCompletableFuture().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        switch (job.kind()) {
          case SCHEDULED_DUE -> assertEquals(JobStatus.PENDING, after.status(), job.toString());
          case LEASE_DUE -> {
            assertEquals(JobStatus.RETRYING, after.status(), job.toString());
            assertEquals(1, after.attempts());
            assertTrue(after.lastError().contains("lease expired"), after.lastError());
          }
          case EXPIRY_DUE -> assertEquals(JobStatus.EXPIRED, after.status(), job.toString());
          // Its worker could not heartbeat while no node ran: the lease counts afresh from the recovery.
          case RUNNING -> assertEquals(withoutLeaseDeadline(job.before()), withoutLeaseDeadline(renewed.get(job.id())),
              "job RUNNING changed across the restart");
          default -> assertEquals(job.before(), after, "job " + job.kind() + " changed across the restart");
        }
      }
    }
  }

  /** The views of the RUNNING jobs once each entity, recovered when first asked, has renewed its lease. */
  private static Map<String, JobView> awaitRenewed(JobclusterNode node, List<Tracked> jobs) throws Exception {
    Map<String, Instant> before = new HashMap<>();
    jobs.stream().filter(job -> job.kind() == Kind.RUNNING).forEach(job -> before.put(job.id(), job.before().leaseExpiresAt()));
    return Jobs.await(node.jobs(), List.copyOf(before.keySet()), view -> view.leaseExpiresAt().isAfter(before.get(view.id())),
        STEP_TIMEOUT, "renewed");
  }

  /** The view but for the lease deadline and the time of the last change, which a lease renewal moves. */
  private static JobView withoutLeaseDeadline(JobView view) {
    return new JobView(view.id(), view.queue(), view.type(), view.status(), view.priority(), view.payload(), view.attempts(),
        view.maxAttempts(), view.createdAt(), null, view.runAt(), view.startedAt(), view.finishedAt(), view.workerId(), null,
        view.lastError(), view.result(), view.progress(), view.tags());
  }

  /** Polls the events of every job (through the query side, never through the entities). */
  private static void awaitEvents(JobclusterNode node, List<Tracked> jobs, Map<Kind, Predicate<JobEvent>> expected) {
    JdbcReadJournal journal = PersistenceQuery.get(Adapter.toClassic(node.system()))
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    Awaitility.await("every job firing its overdue deadline after recovery").atMost(STEP_TIMEOUT).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
      Map<String, List<JobEvent>> eventsByJob = new HashMap<>();
      for (int slice = 0; slice < JobEntity.TAG_SLICES; slice++) {
        List<EventEnvelope> envelopes = journal.currentEventsByTag("job-" + slice, Offset.noOffset())
            .runWith(Sink.seq(), node.system()).toCompletableFuture().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        for (EventEnvelope envelope : envelopes) {
          JobEvent event = (JobEvent) envelope.event();
          eventsByJob.computeIfAbsent(event.jobId(), id -> new ArrayList<>()).add(event);
        }
      }
      List<Tracked> missing = jobs.stream()
          .filter(job -> expected.containsKey(job.kind()))
          .filter(job -> eventsByJob.getOrDefault(job.id(), List.of()).stream().noneMatch(expected.get(job.kind())))
          .toList();
      assertTrue(missing.isEmpty(), () -> missing.size() + " jobs did not fire their overdue deadline after recovery, e.g. " + missing.get(0));
    });
  }

  private java.util.concurrent.CompletionStage<Tracked> create(JobService service, Kind kind, int i, Instant dueAt, int secondsToDue) {
    JobRequest request = JobRequest.of("sleep").withPayload("{\"ms\":" + i + "}").withPriority(i % 10).withBackoff(HOUR_BACKOFF)
        .withTags(List.of("kind:" + kind.name().toLowerCase()));
    request = switch (kind) {
      case SCHEDULED_LATER -> request.withDelaySeconds(3600L);
      case SCHEDULED_DUE -> request.withRunAt(dueAt);
      case LEASE_DUE -> request.withTimeoutSeconds(secondsToDue);
      case EXPIRY_DUE -> request.withExpiresAt(dueAt);
      case RUNNING, RETRYING -> request.withTimeoutSeconds(3600);
      default -> request;
    };
    String leaseId = "lease-" + kind + "-" + i;
    return service.submit(TENANT, request).thenCompose(reply -> {
      String id = view(reply).id();
      return switch (kind) {
        case RUNNING, LEASE_DUE -> service.lease(id, leaseId, "worker-" + i, leaseNode(), null, STEP_TIMEOUT);
        case RETRYING -> service.lease(id, leaseId, "worker", leaseNode(), null, STEP_TIMEOUT).thenCompose(r -> service.fail(null, id, leaseId, "try later", true));
        case COMPLETED -> service.lease(id, leaseId, "worker", leaseNode(), null, STEP_TIMEOUT).thenCompose(r -> service.complete(null, id, leaseId, "{\"n\":" + i + "}"));
        case FAILED -> service.lease(id, leaseId, "worker", leaseNode(), null, STEP_TIMEOUT).thenCompose(r -> service.fail(null, id, leaseId, "bad input", false));
        case CANCELLED -> service.cancel(TENANT, id, "not needed");
        default -> CompletableFuture.completedFuture(reply);
      };
    }).thenApply(reply -> new Tracked(view(reply).id(), kind, view(reply)));
  }

  private static JobView view(JobReply reply) {
    JobView view = assertInstanceOf(JobReply.Accepted.class, reply, () -> "rejected: " + reply).job();
    assertNotNull(view);
    return view;
  }

  /**
   * The same cluster address each time: a node restarted in place, so leases held "there" belong
   * to a member again and no dispatcher ends them as lost. No worker pools: the jobs keep the
   * states this test gives them.
   */
  private JobclusterNode startNode() throws Exception {
    return TestNodes.start(database(), clusterPort, "", "jobcluster.worker-queues = \"\"");
  }

  private final int clusterPort = FreePorts.next();

  /** The node every lease in this test is held on: none (see below). */
  private String leaseNode() {
    // Held by no node, like an external worker's lease: the test restarts its node, and leases
    // held on a node's previous incarnation are ended by the dispatchers' reconciliation.
    return null;
  }
}
