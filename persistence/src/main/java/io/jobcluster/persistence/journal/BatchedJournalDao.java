package io.jobcluster.persistence.journal;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.SimpleJdbcAction;

/**
 * pekko-persistence-jdbc's journal DAO with one change: on PostgreSQL a batch of tagged events is
 * written with three statements instead of one round trip per event.
 *
 * <p>The plugin inserts tagged events one row at a time, because each tag row needs its event's
 * generated {@code ordering} (Slick inserts with {@code RETURNING} row by row). Under load that
 * was the node's largest single cost and held the journal's few connections for a round trip per
 * event. Here the orderings are drawn from the column's own sequence up front, in one query, and
 * events and tags go in as two batched inserts, all in one transaction. Orderings still come from
 * the same sequence and commit in the same transaction as their events, so the read journal's
 * handling of gaps (uncommitted or rolled-back orderings) is unchanged. H2 (the single-node
 * embedded default) keeps the plugin's own writes.
 *
 * <p>Configured as {@code jdbc-journal.dao}; the plugin creates it reflectively with exactly these
 * constructor parameter types.
 */
public class BatchedJournalDao extends DefaultJournalDao {
  private final JournalSql sql;

  public BatchedJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig journalConfig, Serialization serialization,
      ExecutionContext ec, Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
    this.sql = profile instanceof slick.jdbc.PostgresProfile ? JournalSql.of(journalConfig) : null;
  }

  @Override
  public Future<BoxedUnit> writeJournalRows(Seq<Tuple2<JournalPekkoSerializationRow, Set<String>>> rows) {
    if (sql == null) {
      return super.writeJournalRows(rows);
    }
    List<TaggedRow> batch = new ArrayList<>(rows.size());
    for (Tuple2<JournalPekkoSerializationRow, Set<String>> row : CollectionConverters.asJava(rows)) {
      batch.add(new TaggedRow(row._1(), List.copyOf(CollectionConverters.asJava(row._2()))));
    }
    SimpleJdbcAction<BoxedUnit> write = new SimpleJdbcAction<>(context -> {
      sql.writeAtomically(context.connection(), batch);
      return BoxedUnit.UNIT;
    });
    @SuppressWarnings({"unchecked", "rawtypes"})
    Future<BoxedUnit> done = db().run((DBIOAction) write);
    return done;
  }

  /** A journal row and its tags. */
  record TaggedRow(JournalPekkoSerializationRow row, List<String> tags) {}
}
