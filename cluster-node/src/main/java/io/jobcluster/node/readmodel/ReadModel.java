package io.jobcluster.node.readmodel;

import com.zaxxer.hikari.HikariDataSource;
import io.jobcluster.node.JdbcPool;
import io.jobcluster.node.job.JobEntity;
import io.jobcluster.persistence.DatabaseSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read model of a node: the {@code jobs} table kept by {@link JobsProjection}, and
 * {@link JobQueries} over it. Used to list, filter and count jobs, to rebuild dispatch state and to
 * find due deadlines; never on the dispatch hot path.
 *
 * <pre>{@code
 * JobQueries queries = ReadModel.start(system, database, meters).queries();    // once, after job sharding started
 * }</pre>
 */
public final class ReadModel {
  private static final Logger log = LoggerFactory.getLogger(ReadModel.class);

  /** pekko-projection-jdbc's dispatcher, sized to the pool; the queries block on it too. */
  static final String JDBC_DISPATCHER = "pekko.projection.jdbc.blocking-jdbc-dispatcher";

  private final JobQueries queries;
  private final DataSource dataSource;

  private ReadModel(JobQueries queries, DataSource dataSource) {
    this.queries = queries;
    this.dataSource = dataSource;
  }

  /** The read model's connection pool, for what else the node keeps in its database (event stream positions, webhooks). */
  public DataSource dataSource() {
    return dataSource;
  }

  public JobQueries queries() {
    return queries;
  }

  /** The finished jobs, for the retention sweep. */
  public FinishedJobs finishedJobs() {
    return new FinishedJobs(queries);
  }

  /**
   * Starts the read model on this node: its connection pool (closed when the system terminates),
   * its queries, and this node's share of the projections. Once per node, after job sharding started.
   *
   * @param meters the node's registry, where the pool reports its connections
   */
  public static ReadModel start(ActorSystem<?> system, DatabaseSettings db, MeterRegistry meters) {
    ReadModelSettings settings = ReadModelSettings.fromConfig(system.settings().config().getConfig("jobcluster.read-model"));
    HikariDataSource pool = JdbcPool.closeWith(system, ReadModelPool.create(db, settings.poolSize(), meters));
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig(JDBC_DISPATCHER));
    JobsProjection.init(system, settings, pool);
    log.info("Read model started slices={} batchSize={} groupWithin={} poolSize={} database={}", JobEntity.TAG_SLICES,
        settings.batchSize(), settings.groupWithin(), settings.poolSize(), db.redactedUrl());
    return new ReadModel(new JobQueries(pool, blocking), pool);
  }
}
