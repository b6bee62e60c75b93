package io.jobcluster.node.job;

import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.JobTransition;
import io.jobcluster.protocol.wire.TransitionEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Live streams of job transitions, read from the journal's event queries (so they do not depend on
 * the node that holds a job, and a stream resumes from any node after a failover).
 *
 * <p>One job: {@code eventsByPersistenceId} from the job's submission, one query that reads what is
 * stored and then polls for more, so nothing written between the two phases is missed; its position
 * is the event's sequence number. A tenant: {@code eventsByTag} over the job tag slices merged; its
 * position is a {@link TagPosition}, the journal ordering reached in every slice.
 */
public final class JobEventStreams {
  /** Jobs whose tenant, queue and type a tenant stream remembers, so it reads a job's submission once. */
  private static final int KNOWN_JOBS = 10_000;

  private final ActorSystem<?> system;
  private final JdbcReadJournal journal;
  private final JournalOrdering latestOrdering;

  /**
   * @param latestOrdering the journal's highest ordering now: where a tenant stream without a position starts
   */
  public JobEventStreams(ActorSystem<?> system, JdbcReadJournal journal, JournalOrdering latestOrdering) {
    this.system = system;
    this.journal = journal;
    this.latestOrdering = latestOrdering;
  }

  /** From the node's JDBC journal. */
  public static JobEventStreams of(ActorSystem<?> system, JournalOrdering latestOrdering) {
    return new JobEventStreams(system, PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier()),
        latestOrdering);
  }

  /** A transition and where a stream stands after it (the SSE {@code id}). */
  public record Positioned(String position, TransitionEvent event) {}

  /** What a tenant stream shows: one tenant (null: all) and, when set, one queue, type and status reached. */
  public record Filter(String tenant, String queue, String type, JobStatus status) {
    boolean accepts(Origin origin, TransitionEvent event) {
      return (tenant == null || tenant.equals(origin.tenant())) && (queue == null || queue.equals(origin.queue()))
          && (type == null || type.equals(origin.type())) && (status == null || status == event.to());
    }
  }

  /** Whose a job is, from its submission. */
  record Origin(String tenant, String queue, String type) {
    static Origin of(JobEvent.Submitted submitted) {
      return new Origin(submitted.tenant(), submitted.spec().queue(), submitted.spec().type());
    }
  }

  /**
   * The transitions of job {@code jobId} of {@code tenant} (null: any) after sequence number
   * {@code after}, live, ending after the job finishes ({@link TransitionEvent#finishes}); empty
   * when there is no such job.
   */
  public CompletionStage<Optional<Source<Positioned, NotUsed>>> ofJob(String tenant, String jobId, long after) {
    String persistenceId = persistenceId(jobId);
    return journal.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
        .runFold(new ArrayList<EventEnvelope>(), JobHistory::sinceLastDeletion, system)
        .thenApply(events -> {
          if (events.isEmpty() || !(events.get(0).event() instanceof JobEvent.Submitted submitted)
              || (tenant != null && !Objects.equals(tenant, submitted.tenant()))) {
            return Optional.empty();
          }
          EventEnvelope last = events.get(events.size() - 1);
          if (TransitionEvent.finishes(((JobEvent) last.event()).to()) && last.sequenceNr() <= after) {
            return Optional.of(Source.empty());
          }
          Origin origin = Origin.of(submitted);
          return Optional.of(journal.eventsByPersistenceId(persistenceId, events.get(0).sequenceNr(), Long.MAX_VALUE)
              .takeWhile(envelope -> !(finishes(envelope) && envelope.sequenceNr() > after), true)
              .filter(envelope -> envelope.sequenceNr() > after)
              .mapConcat(envelope -> transition(envelope, origin)
                  .map(event -> List.of(new Positioned(Long.toString(envelope.sequenceNr()), event))).orElse(List.of())));
        });
  }

  /**
   * The transitions {@code filter} shows, live, after {@code after} (empty: after the journal's
   * latest event now, read before the stage completes); never ends.
   */
  public CompletionStage<Source<Positioned, NotUsed>> ofTenant(Filter filter, Optional<TagPosition> after) {
    CompletionStage<TagPosition> start = after.<CompletionStage<TagPosition>>map(CompletableFuture::completedFuture)
        .orElseGet(() -> latestOrdering.latest().thenApply(ordering -> TagPosition.uniform(JobEntity.TAG_SLICES, ordering)));
    return start.thenApply(position -> from(filter, position));
  }

  private Source<Positioned, NotUsed> from(Filter filter, TagPosition start) {
    Map<String, Origin> known = lruMap();
    return Source.from(IntStream.range(0, JobEntity.TAG_SLICES).boxed().toList())
        .flatMapMerge(JobEntity.TAG_SLICES, slice -> journal.eventsByTag(sliceTag(slice), Offset.sequence(start.ordering(slice)))
            .map(envelope -> Pair.create(slice, envelope)))
        .statefulMap(() -> start, (position, sliced) -> {
          TagPosition next = position.with(sliced.first(), ((Sequence) sliced.second().offset()).value());
          return Pair.create(next, Pair.create(next, sliced.second()));
        }, position -> Optional.empty())
        .mapAsync(1, positioned -> origin(known, positioned.second())
            .thenApply(origin -> transition(positioned.second(), origin)
                .filter(event -> filter.accepts(origin, event))
                .map(event -> new Positioned(positioned.first().text(), event))))
        .mapConcat(event -> event.map(List::of).orElse(List.of()));
  }

  private CompletionStage<Origin> origin(Map<String, Origin> known, EventEnvelope envelope) {
    JobEvent event = (JobEvent) envelope.event();
    if (event instanceof JobEvent.Submitted submitted) {
      Origin origin = Origin.of(submitted);
      known.put(event.jobId(), origin);
      return CompletableFuture.completedFuture(origin);
    }
    Origin cached = known.get(event.jobId());
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    // The submission came before this stream's start: read it (the latest one up to this event).
    return journal.currentEventsByPersistenceId(persistenceId(event.jobId()), 0L, envelope.sequenceNr())
        .runFold(new Origin[1], (found, earlier) -> {
          if (earlier.event() instanceof JobEvent.Submitted submitted) {
            found[0] = Origin.of(submitted);
          }
          return found;
        }, system)
        .thenApply(found -> {
          Origin origin = found[0] == null ? new Origin(null, null, null) : found[0];
          known.put(event.jobId(), origin);
          return origin;
        });
  }

  private static Optional<TransitionEvent> transition(EventEnvelope envelope, Origin origin) {
    JobEvent event = (JobEvent) envelope.event();
    return JobTransition.of(event, envelope.sequenceNr()).map(t -> new TransitionEvent(t.jobId(), t.from(), t.to(), t.at(), t.attempt(),
        origin.queue(), origin.type()));
  }

  private static boolean finishes(EventEnvelope envelope) {
    JobEvent event = (JobEvent) envelope.event();
    return !(event instanceof JobEvent.Deleted) && TransitionEvent.finishes(event.to());
  }

  /** The tag of {@code slice}, as {@link JobEntity#tagFor} assigns them. */
  private static String sliceTag(int slice) {
    return "job-" + slice;
  }

  private static String persistenceId(String jobId) {
    return PersistenceId.of(JobEntity.TYPE_KEY.name(), jobId).id();
  }

  private static <K, V> Map<K, V> lruMap() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > KNOWN_JOBS;
      }
    };
  }
}
