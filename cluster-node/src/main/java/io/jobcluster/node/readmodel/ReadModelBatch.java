package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.JobEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-model changes of one batch of events: the touched rows are read once, every event is
 * applied in memory in order, and the outcome is written with a few batched statements. Events
 * at or below a row's {@code last_seq_nr} were applied before and are skipped, so replaying a
 * batch changes nothing.
 */
final class ReadModelBatch {
  private static final Logger log = LoggerFactory.getLogger(ReadModelBatch.class);

  /** The rows as they are in the database. */
  private final Map<String, JobRow> stored;
  /** The rows after the events so far; a null value is a deleted job. */
  private final Map<String, JobRow> current = new LinkedHashMap<>();
  /** Jobs deleted in this batch, with the sequence number of the deletion. */
  private final Map<String, Long> deletedAt = new HashMap<>();

  ReadModelBatch(Map<String, JobRow> stored) {
    this.stored = stored;
  }

  void apply(JobEvent event, long seqNr) {
    String id = event.jobId();
    JobRow row = current.containsKey(id) ? current.get(id) : stored.get(id);
    if (isReplay(row, id, seqNr)) {
      log.debug("Read model skips an event it applied before jobId={} seqNr={}", id, seqNr);
      return;
    }
    if (event instanceof JobEvent.Deleted) {
      current.put(id, null);
      deletedAt.put(id, seqNr);
      return;
    }
    JobRow next;
    if (event instanceof JobEvent.Submitted submitted) {
      next = JobRow.submitted(submitted, seqNr);
    } else if (row == null) {
      log.warn("Read model has no row for a job event; skipped jobId={} seqNr={} event={}", id, seqNr, event.getClass().getSimpleName());
      return;
    } else {
      next = row.apply(event, seqNr);
    }
    current.put(id, next);
  }

  private boolean isReplay(JobRow row, String id, long seqNr) {
    Long deleted = deletedAt.get(id);
    return (row != null && seqNr <= row.lastSeqNr()) || (deleted != null && seqNr <= deleted);
  }

  void write(Connection connection) throws SQLException {
    List<String> deletes = new ArrayList<>();
    List<JobRow> updates = new ArrayList<>();
    List<JobRow> inserts = new ArrayList<>();
    for (Map.Entry<String, JobRow> change : current.entrySet()) {
      boolean exists = stored.containsKey(change.getKey());
      if (change.getValue() == null) {
        if (exists) {
          deletes.add(change.getKey());
        }
      } else if (exists) {
        updates.add(change.getValue());
      } else {
        inserts.add(change.getValue());
      }
    }
    // A deleted job (by DELETE or by retention) leaves no events or snapshots behind either: all but
    // its deletion event committed first, the deletion with the rows and the offset (JournalPurge).
    if (!deletedAt.isEmpty()) {
      JournalPurge.purgeAllButDeletions(connection, deletedAt);
      connection.commit();
    }
    JobsTable.delete(connection, deletes);
    JobsTable.update(connection, updates);
    JobsTable.insert(connection, inserts);
    JournalPurge.purgeDeletions(connection, deletedAt);
    log.debug("Read model batch written inserted={} updated={} deleted={} purged={}", inserts.size(), updates.size(), deletes.size(),
        deletedAt.size());
  }
}
