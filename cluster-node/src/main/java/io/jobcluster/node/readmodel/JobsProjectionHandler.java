package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.JobEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Writes a batch of job events into {@code jobs}, in the transaction in which the projection then
 * stores the batch's offset; a batch that deletes jobs commits the first step of their purge
 * before it ({@link JournalPurge}).
 */
final class JobsProjectionHandler extends JdbcHandler<List<EventEnvelope<JobEvent>>, PooledJdbcSession> {
  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<JobEvent>> envelopes) throws Exception {
    session.withConnection(connection -> write(connection, envelopes));
  }

  private Void write(Connection connection, List<EventEnvelope<JobEvent>> envelopes) throws SQLException {
    Set<String> ids = new LinkedHashSet<>();
    envelopes.forEach(envelope -> ids.add(envelope.event().jobId()));
    ReadModelBatch batch = new ReadModelBatch(JobsTable.load(connection, ids));
    envelopes.forEach(envelope -> batch.apply(envelope.event(), envelope.sequenceNr()));
    batch.write(connection);
    return null;
  }
}
