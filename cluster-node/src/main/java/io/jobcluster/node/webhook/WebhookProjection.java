package io.jobcluster.node.webhook;

import io.jobcluster.node.job.JobEntity;
import io.jobcluster.node.readmodel.PooledJdbcSession;
import io.jobcluster.protocol.JobEvent;
import io.jobcluster.protocol.wire.TransitionEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Turns job events into webhook deliveries: one projection per job tag slice (a sharded daemon
 * process, like the read model's), writing in the transaction that stores its offset, so each
 * finishing event of a job with a webhook becomes exactly one delivery row, whichever node runs the
 * slice and however often it restarts. Submissions remember the job's webhook (its own, else its
 * tenant's default then) in {@code webhook_jobs}; a finishing event (COMPLETED, FAILED, CANCELLED,
 * EXPIRED) copies it into a due {@code webhook_deliveries} row; a deletion forgets it.
 */
public final class WebhookProjection {
  public static final String NAME = "webhooks";

  private WebhookProjection() {}

  static void init(ActorSystem<?> system, DataSource dataSource, Clock clock) {
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, NAME, JobEntity.TAG_SLICES,
        slice -> ProjectionBehavior.create(JdbcProjection.groupedWithin(ProjectionId.of(NAME, "job-" + slice),
                events(system, "job-" + slice), () -> new PooledJdbcSession(dataSource), () -> new Handler(clock), system)
            .withGroup(100, Duration.ofMillis(200))),
        ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static SourceProvider<Offset, EventEnvelope<JobEvent>> events(ActorSystem<?> system, String tag) {
    return EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
  }

  /** Writes a batch of events' webhook rows. */
  static final class Handler extends JdbcHandler<List<EventEnvelope<JobEvent>>, PooledJdbcSession> {
    private final Clock clock;

    Handler(Clock clock) {
      this.clock = clock;
    }

    @Override
    public void process(PooledJdbcSession session, List<EventEnvelope<JobEvent>> envelopes) throws Exception {
      session.withConnection(connection -> {
        for (EventEnvelope<JobEvent> envelope : envelopes) {
          apply(connection, envelope.event(), envelope.sequenceNr());
        }
        return null;
      });
    }

    private void apply(Connection connection, JobEvent event, long seqNr) throws SQLException {
      if (event instanceof JobEvent.Submitted submitted) {
        forget(connection, event.jobId());
        if (submitted.spec().webhook() != null) {
          update(connection, "INSERT INTO webhook_jobs (job_id, tenant, url) VALUES (?, ?, ?)", event.jobId(), submitted.tenant(),
              submitted.spec().webhook().url());
        } else {
          update(connection, "INSERT INTO webhook_jobs (job_id, tenant, url) SELECT ?, tenant, default_url FROM webhook_tenants"
              + " WHERE tenant = ? AND default_url IS NOT NULL", event.jobId(), submitted.tenant());
        }
      } else if (event instanceof JobEvent.Deleted) {
        forget(connection, event.jobId());
      } else if (TransitionEvent.finishes(event.to())) {
        Timestamp now = Timestamp.from(clock.instant());
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO webhook_deliveries (job_id, seq_nr, tenant, url, job_status,"
            + " state, attempts, next_attempt_at, created_at, updated_at) SELECT job_id, ?, tenant, url, ?, 'pending', 0, ?, ?, ?"
            + " FROM webhook_jobs WHERE job_id = ?")) {
          insert.setLong(1, seqNr);
          insert.setString(2, event.to().name());
          insert.setTimestamp(3, now);
          insert.setTimestamp(4, now);
          insert.setTimestamp(5, now);
          insert.setString(6, event.jobId());
          insert.executeUpdate();
        }
      }
    }

    private static void forget(Connection connection, String jobId) throws SQLException {
      update(connection, "DELETE FROM webhook_jobs WHERE job_id = ?", jobId);
    }

    private static void update(Connection connection, String sql, String... values) throws SQLException {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (int i = 0; i < values.length; i++) {
          statement.setString(i + 1, values[i]);
        }
        statement.executeUpdate();
      }
    }
  }
}
