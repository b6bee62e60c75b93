package io.jobcluster.node.readmodel;

import io.jobcluster.node.job.JobEntity;
import io.jobcluster.protocol.JobEvent;
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
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Projects job events into the read model: one projection per tag slice ({@code job-0} ..), run as
 * a sharded daemon process so the slices spread over the cluster and move when a node leaves.
 * Each projection reads its tag from the journal, groups events into batches, and writes a batch
 * and its offset in one transaction (exactly once).
 */
public final class JobsProjection {
  /** The projection's name in the offset store, and the daemon process's name. */
  public static final String NAME = "jobs-read-model";

  private JobsProjection() {}

  static void init(ActorSystem<?> system, ReadModelSettings settings, DataSource dataSource) {
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, NAME, JobEntity.TAG_SLICES,
        slice -> ProjectionBehavior.create(create(system, settings, dataSource, tag(slice))),
        ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
  }

  /** The tag of {@code slice}, as {@link JobEntity#tagFor} assigns them. */
  static String tag(int slice) {
    return "job-" + slice;
  }

  static GroupedProjection<Offset, EventEnvelope<JobEvent>> create(ActorSystem<?> system, ReadModelSettings settings,
      DataSource dataSource, String tag) {
    SourceProvider<Offset, EventEnvelope<JobEvent>> events = EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.groupedWithin(ProjectionId.of(NAME, tag), events, () -> new PooledJdbcSession(dataSource),
            JobsProjectionHandler::new, system)
        .withGroup(settings.batchSize(), settings.groupWithin());
  }
}
