package io.jobcluster.node.job;

import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.wire.JobTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;

/**
 * A job's history, read from the job's own events in the journal: it shows every transition the
 * job answered for, with no lag behind the job (a read model would trail it), and costs the hot
 * path nothing (no rows of its own are written per transition).
 */
public final class JobHistory {
  private final ActorSystem<?> system;
  private final CurrentEventsByPersistenceIdQuery journal;

  public JobHistory(ActorSystem<?> system, CurrentEventsByPersistenceIdQuery journal) {
    this.system = system;
    this.journal = journal;
  }

  /** From the node's JDBC journal. */
  public static JobHistory of(ActorSystem<?> system) {
    return new JobHistory(system, PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier()));
  }

  /**
   * The job's transitions, oldest first; empty when there is no such job for {@code tenant} (null:
   * any tenant). Only the current job under this id counts: a deletion ends the history before it.
   */
  public CompletionStage<Optional<List<JobTransition>>> read(String tenant, String jobId) {
    String persistenceId = JobEntity.persistenceId(jobId).id();
    return journal.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
        .runFold(new ArrayList<EventEnvelope>(), JobHistory::sinceLastDeletion, system)
        .thenApply(events -> transitions(events, tenant));
  }

  /** Folds a job's events to those since its last deletion (a deleted id may be submitted again). */
  static ArrayList<EventEnvelope> sinceLastDeletion(ArrayList<EventEnvelope> events, EventEnvelope envelope) {
    if (envelope.event() instanceof JobEvent.Deleted) {
      events.clear();
    } else {
      events.add(envelope);
    }
    return events;
  }

  private static Optional<List<JobTransition>> transitions(List<EventEnvelope> events, String tenant) {
    if (events.isEmpty() || !(events.get(0).event() instanceof JobEvent.Submitted submitted)
        || (tenant != null && !Objects.equals(tenant, submitted.tenant()))) {
      return Optional.empty();
    }
    List<JobTransition> transitions = new ArrayList<>();
    for (EventEnvelope envelope : events) {
      JobTransition.of((JobEvent) envelope.event(), envelope.sequenceNr()).ifPresent(transitions::add);
    }
    return Optional.of(List.copyOf(transitions));
  }
}
