package io.jobcluster.node.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.jobcluster.node.readmodel.JobEvents;
import io.jobcluster.protocol.FailureCause;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.JobTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A job's history as its own journal tells it. */
class JobHistoryTest {
  private static final String TENANT = "acme";
  private static final ActorTestKit testKit = ActorTestKit.create("JobHistoryTest",
      PersistenceTestKitPlugin.getInstance().config().withFallback(ConfigFactory.parseResources("serialization.conf"))
          .withFallback(ConfigFactory.defaultReference()).resolve());
  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
  private static final JobHistory history = new JobHistory(testKit.system(), PersistenceQuery.get(testKit.system())
      .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyTransitionInOrderWithWorkerNodeAndDetailButNoHeartbeats() throws Exception {
    String id = "22222222-0000-0000-0000-000000000001";
    List<JobEvent> life = stored(id, JobEvents.longLife(id, TENANT).events());

    List<JobTransition> transitions = read(TENANT, id).orElseThrow();

    List<JobEvent> expected = life.stream().filter(e -> !(e instanceof JobEvent.HeartbeatRecorded)).toList();
    assertEquals(expected.size(), transitions.size());
    for (int i = 0; i < transitions.size(); i++) {
      JobEvent event = expected.get(i);
      JobTransition transition = transitions.get(i);
      assertEquals(List.of(String.valueOf(event.from()), event.to().name(), event.attempt(), event.at()),
          List.of(String.valueOf(transition.from()), transition.to().name(), transition.attempt(), transition.at()), "transition " + i);
      assertEquals(life.indexOf(event) + 1L, transition.seqNr(), "the event's sequence number");
    }
    JobTransition submitted = transitions.get(0);
    assertNull(submitted.from());
    assertNull(submitted.workerId());
    assertTrue(transitions.get(2).detail().startsWith("lease until "), transitions.get(2).detail());
    JobTransition renewal = transitions.get(3);
    assertEquals(List.of("RUNNING", "RUNNING", "worker-a", "node-1"),
        List.of(renewal.from().name(), renewal.to().name(), renewal.workerId(), renewal.node()));
    assertTrue(renewal.detail().startsWith("lease renewed until "), renewal.detail());
    JobTransition firstFailure = transitions.get(4);
    assertEquals(List.of("worker-a", "node-1", "handler_error: HANDLER_ERROR on attempt 1"),
        List.of(firstFailure.workerId(), firstFailure.node(), firstFailure.detail()));
    JobTransition handedBack = transitions.stream().filter(t -> t.from() == JobStatus.RUNNING && t.to() == JobStatus.PENDING)
        .findFirst().orElseThrow();
    assertEquals(List.of("worker-c", "node-3", "handed back unfinished; attempt not charged"),
        List.of(handedBack.workerId(), handedBack.node(), handedBack.detail()));
  }

  @Test
  void anotherTenantSeesNoHistoryAndAnInternalCallerSeesAll() throws Exception {
    String id = "22222222-0000-0000-0000-000000000002";
    stored(id, new JobEvents(id).submitted(TENANT, JobRequest.of("noop")).cancelled(0, JobStatus.PENDING).events());

    assertEquals(Optional.empty(), read("globex", id));
    assertEquals(List.of(JobStatus.PENDING, JobStatus.CANCELLED), read(null, id).orElseThrow().stream().map(JobTransition::to).toList());
    assertEquals(Optional.empty(), read(TENANT, "22222222-0000-0000-0000-00000000ffff"), "no events, no job");
  }

  @Test
  void aDeletionEndsTheHistoryOfTheJobBeforeIt() throws Exception {
    String gone = "44444444-0000-0000-0000-000000000001";
    String reused = "44444444-0000-0000-0000-000000000002";
    stored(gone, new JobEvents(gone).submitted(TENANT, JobRequest.of("noop")).cancelled(0, JobStatus.PENDING)
        .deleted(0, JobStatus.CANCELLED).events());
    List<JobEvent> first = new JobEvents(reused).submitted(TENANT, JobRequest.of("noop")).leased(1, "w", "n")
        .failed(1, "w", FailureCause.HANDLER_ERROR, JobStatus.FAILED).events();
    List<JobEvent> all = new ArrayList<>(first);
    all.addAll(new JobEvents(reused).deleted(1, JobStatus.FAILED).submitted(TENANT, JobRequest.of("second")).events());
    stored(reused, all);

    assertEquals(Optional.empty(), read(TENANT, gone));
    List<JobTransition> transitions = read(TENANT, reused).orElseThrow();
    assertEquals(List.of(5L), transitions.stream().map(JobTransition::seqNr).toList(), "only the new job's submission");
  }

  private static List<JobEvent> stored(String jobId, List<JobEvent> events) {
    journal.persistForRecovery(PersistenceId.of(JobEntity.TYPE_KEY.name(), jobId).id(), new ArrayList<>(events));
    return events;
  }

  private static Optional<List<JobTransition>> read(String tenant, String jobId) throws Exception {
    return history.read(tenant, jobId).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
