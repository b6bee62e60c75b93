package io.jobcluster.node.dispatch;

import io.jobcluster.node.job.JobEntity;
import io.jobcluster.protocol.JobEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/** A job's persisted events, read from the journal (not from the entity). */
final class JournalEvents {
  private JournalEvents() {}

  static List<JobEvent> of(ActorSystem<?> system, String jobId) throws Exception {
    JdbcReadJournal journal = PersistenceQuery.get(Adapter.toClassic(system)).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    List<EventEnvelope> envelopes = journal.currentEventsByPersistenceId(JobEntity.TYPE_KEY.name() + "|" + jobId, 0, Long.MAX_VALUE)
        .runWith(Sink.seq(), system).toCompletableFuture().get(30, TimeUnit.SECONDS);
    return envelopes.stream().map(envelope -> (JobEvent) envelope.event()).toList();
  }

  static <E extends JobEvent> List<E> ofType(ActorSystem<?> system, String jobId, Class<E> type) throws Exception {
    return of(system, jobId).stream().filter(type::isInstance).map(type::cast).toList();
  }
}
