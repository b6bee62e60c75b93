package io.jobcluster.persistence.journal;

import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * The DAO of the journal that new jobs start on ({@code jobcluster.fresh-journal}): it writes like
 * {@link BatchedJournalDao} into the same tables, and answers without a query that an entity has
 * no events yet. Only entities whose persistence id was drawn at random a moment ago (a job
 * submitted without an idempotency key) use it, and they start without recovery; the journal still
 * asks for the highest sequence number, which would be one database round trip per new job. Should
 * an id ever have events after all, the first write fails on the journal's primary key and nothing
 * is written.
 */
public final class FreshJournalDao extends BatchedJournalDao {

  public FreshJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig journalConfig, Serialization serialization,
      ExecutionContext ec, Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
  }

  @Override
  public Future<Object> highestSequenceNr(String persistenceId, long fromSequenceNr) {
    return Future.successful(0L);
  }
}
