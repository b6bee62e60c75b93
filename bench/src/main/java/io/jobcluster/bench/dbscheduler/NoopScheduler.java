package io.jobcluster.bench.dbscheduler;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** A running db-scheduler with one no-op one-time task, on a pooled connection to its own database. */
final class NoopScheduler implements AutoCloseable {
  static final String TASK = "noop";

  private final HikariDataSource dataSource;
  private final OneTimeTask<Void> task;
  private final Scheduler scheduler;

  /** Creates the table, then starts the scheduler; {@code onExecute} gets each executed instance's id. */
  NoopScheduler(DbSchedulerTask.Database database, DbSchedulerConfig config, Consumer<String> onExecute) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(database.url());
    pool.setUsername(database.user());
    pool.setPassword(database.password());
    pool.setMaximumPoolSize(config.poolSize());
    this.dataSource = new HikariDataSource(pool);
    createTable(dataSource);
    this.task = Tasks.oneTime(TASK).execute((instance, context) -> onExecute.accept(instance.getId()));
    var builder = Scheduler.create(dataSource, task).threads(config.threads())
        .pollUsingLockAndFetch(config.pollLowerLimit(), config.pollUpperLimit());
    if (config.immediateExecution()) {
      builder = builder.enableImmediateExecution();
    }
    this.scheduler = builder.build();
    scheduler.start();
  }

  void schedule(String id, Instant at) {
    scheduler.schedule(task.instance(id), at);
  }

  void scheduleBatch(List<String> ids, Instant at) {
    List<TaskInstance<?>> instances = ids.stream().<TaskInstance<?>>map(task::instance).toList();
    scheduler.scheduleBatch(instances, at);
  }

  private static void createTable(HikariDataSource dataSource) {
    try (InputStream ddl = NoopScheduler.class.getResourceAsStream("/db-scheduler/postgresql_tables.sql");
         Connection connection = dataSource.getConnection();
         Statement statement = connection.createStatement()) {
      statement.execute(new String(ddl.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read db-scheduler's table definition", e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create db-scheduler's table: " + e.getMessage(), e);
    }
  }

  /** Stops the scheduler, then closes the pool, so the database sees every connection end. */
  @Override
  public void close() {
    try {
      scheduler.stop();
    } finally {
      dataSource.close();
    }
  }
}
