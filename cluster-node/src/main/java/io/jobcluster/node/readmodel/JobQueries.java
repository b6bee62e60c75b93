package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobSpec;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.QueueName;
import io.jobcluster.protocol.wire.FinishedTimings;
import io.jobcluster.protocol.wire.JobPage;
import io.jobcluster.protocol.wire.JobSummary;
import io.jobcluster.protocol.wire.Stats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Reads the read model: listing, filtering, counting, and what a dispatcher
 * rebuild and a deadline sweep need. Plain JDBC on the read model's pool, run on {@code executor}
 * (a blocking dispatcher); every value is a parameter. The read model trails the job entities by
 * the projection's lag (about a second), so it is never the dispatch hot path.
 *
 * <p>A tenant of null means every tenant (internal and admin callers).
 */
public final class JobQueries {
  public static final int MAX_LIMIT = 1000;

  private static final List<String> ACTIVE = List.of(JobStatus.SCHEDULED.name(), JobStatus.PENDING.name(), JobStatus.RUNNING.name(),
      JobStatus.RETRYING.name());

  private final DataSource dataSource;
  private final Executor executor;

  public JobQueries(DataSource dataSource, Executor executor) {
    this.dataSource = dataSource;
    this.executor = executor;
  }

  /** The PENDING jobs of {@code queue} in dispatch order: priority descending, then the time they became ready. */
  public CompletionStage<List<PendingJobRow>> readyJobs(String queue, int limit) {
    return readyJobs(queue, limit, List.of());
  }

  /**
   * As {@link #readyJobs(String, int)}, leaving out jobs of {@code skipTypes}: a dispatcher skips the
   * types no worker takes, so that a page full of them does not hide the jobs behind them.
   */
  public CompletionStage<List<PendingJobRow>> readyJobs(String queue, int limit, List<String> skipTypes) {
    return validLimit(limit).thenCompose(ok -> run("readyJobs", connection -> readyJobs(connection, queue, limit, skipTypes)));
  }

  /**
   * One page of jobs, newest first, optionally filtered by status, queue and type.
   *
   * @param cursor null for the first page, else a previous page's {@link JobPage#nextCursor()}
   * @return a stage failed with {@link InvalidRequestException} for a bad limit or cursor, or a
   *     queue or type no job can have
   */
  public CompletionStage<JobPage> list(String tenant, JobStatus status, String queue, String type, int limit, String cursor) {
    ListCursor after;
    try {
      requireLimit(limit);
      after = cursor == null ? null : ListCursor.decode(cursor);
      validFilter("queue", queue, QueueName.PATTERN);
      validFilter("type", type, JobSpec.TYPE);
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
    PageQuery query = new PageQuery(tenant, status, queue, type, limit, after);
    return run("list", connection -> list(connection, query));
  }

  /** The number of jobs in each status, every status present. */
  public CompletionStage<Map<JobStatus, Long>> countsByStatus(String tenant) {
    return run("countsByStatus", connection -> countsByStatus(connection, tenant));
  }

  /** How many jobs of {@code tenant} are not terminal yet (SCHEDULED, PENDING, RUNNING, RETRYING): its quota's use. */
  public CompletionStage<Long> activeJobs(String tenant) {
    return run("activeJobs", connection -> activeJobs(connection, tenant));
  }

  /**
   * Per queue and type, the jobs that finished at or after {@code since}: counts by terminal status,
   * wait and run times. Ordered by queue, then type.
   */
  public CompletionStage<List<FinishedTimings>> finishedTimings(String tenant, Instant since) {
    return run("finishedTimings", connection -> finishedTimings(connection, tenant, since));
  }

  /** Per queue with active jobs: how many are pending, scheduled, running, retrying, and the oldest pending one. */
  public CompletionStage<List<QueueStats>> queueStats(String tenant) {
    return run("queueStats", connection -> queueStats(connection, tenant));
  }

  /** Per queue, then per type: how many jobs are PENDING (to tell those no worker takes). Sorted by queue, then type. */
  public CompletionStage<Map<String, Map<String, Long>>> pendingByType(String tenant) {
    return run("pendingByType", connection -> pendingByType(connection, tenant));
  }

  /** The RUNNING jobs of {@code queue} with the node holding each lease (to find leases of lost nodes). */
  public CompletionStage<List<RunningAttempt>> runningAttempts(String queue, int limit) {
    return validLimit(limit).thenCompose(ok -> run("runningAttempts", connection -> runningAttempts(connection, queue, limit)));
  }

  /** The workers that hold RUNNING jobs of {@code tenant}, per queue, by worker id. */
  public CompletionStage<List<WorkerLoad>> runningByWorker(String tenant) {
    return run("runningByWorker", connection -> runningByWorker(connection, tenant));
  }

  /** Active jobs whose next deadline is at or before {@code now}, most overdue first. */
  public CompletionStage<List<DueJob>> overdue(Instant now, int limit) {
    DuePage page = new DuePage(null, null, now, List.of(), limit);
    return validLimit(limit).thenCompose(ok -> run("overdue", connection -> due(connection, page)));
  }

  /**
   * SCHEDULED and RETRYING jobs whose deadline is at or before {@code until}, soonest first (then by
   * id): the jobs that wait out of memory and are due to be woken. They start after the job
   * {@code afterId} at {@code afterAt}, or (no id) after {@code afterAt}, or (neither) at the first.
   */
  public CompletionStage<List<DueJob>> waitingUntil(Instant afterAt, String afterId, Instant until, int limit) {
    List<JobStatus> waiting = List.of(JobStatus.SCHEDULED, JobStatus.RETRYING);
    DuePage page = new DuePage(afterAt, afterId, until, waiting, limit);
    return validLimit(limit).thenCompose(ok -> run("waitingUntil", connection -> due(connection, page)));
  }

  /** Jobs with a deadline up to {@code until}, after a (deadline, id) position, of some statuses (none: any). */
  private record DuePage(Instant afterAt, String afterId, Instant until, List<JobStatus> statuses, int limit) {}

  private record PageQuery(String tenant, JobStatus status, String queue, String type, int limit, ListCursor after) {}

  @FunctionalInterface
  interface Query<T> {
    T run(Connection connection) throws SQLException;
  }

  <T> CompletionStage<T> run(String name, Query<T> query) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection connection = dataSource.getConnection()) {
        return inReadTransaction(connection, query);
      } catch (SQLException e) {
        throw new ReadModelException("read-model query " + name + " failed: " + e.getMessage(), e);
      }
    }, executor);
  }

  private static <T> T inReadTransaction(Connection connection, Query<T> query) throws SQLException {
    try {
      T result = query.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    }
  }

  /** A filter no job can match is a mistake (and text such as NUL would fail the query itself). */
  private static void validFilter(String name, String value, Pattern pattern) {
    if (value != null && !pattern.matcher(value).matches()) {
      throw new InvalidRequestException(name, "must match " + pattern.pattern());
    }
  }

  private static CompletionStage<Void> validLimit(int limit) {
    try {
      requireLimit(limit);
      return CompletableFuture.completedFuture(null);
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void requireLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw invalidLimit();
    }
  }

  /** The one answer to a page size out of range or not a number, for these queries and for a request's {@code ?limit=}. */
  public static InvalidRequestException invalidLimit() {
    return new InvalidRequestException("limit", "must be a whole number from 1 to " + MAX_LIMIT);
  }

  private static List<PendingJobRow> readyJobs(Connection connection, String queue, int limit, List<String> skipTypes) throws SQLException {
    // 'PENDING' is written out rather than bound: PostgreSQL only uses the partial index
    // jobs_ready_idx when it can see the predicate in the query.
    String skip = skipTypes.isEmpty() ? "" : " AND type NOT IN (" + String.join(", ", Collections.nCopies(skipTypes.size(), "?")) + ")";
    String sql = "SELECT id, tenant, type, priority, ready_at FROM jobs WHERE queue = ? AND status = 'PENDING'" + skip
        + " ORDER BY priority DESC, ready_at, id LIMIT ?";
    List<Object> values = new ArrayList<>();
    values.add(queue);
    values.addAll(skipTypes);
    values.add(limit);
    List<PendingJobRow> ready = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      Sql.bindAll(select, values);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ready.add(new PendingJobRow(rows.getString("id"), rows.getString("tenant"), rows.getString("type"), rows.getInt("priority"), Sql.instant(rows, "ready_at")));
        }
      }
    }
    return ready;
  }

  private static JobPage list(Connection connection, PageQuery query) throws SQLException {
    List<String> conditions = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    addCondition(conditions, values, "tenant = ?", query.tenant());
    addCondition(conditions, values, "status = ?", query.status() == null ? null : query.status().name());
    addCondition(conditions, values, "queue = ?", query.queue());
    addCondition(conditions, values, "type = ?", query.type());
    if (query.after() != null) {
      // A row comparison, so both databases seek straight to the cursor in the (created_at, id) order.
      conditions.add("(created_at, id) < (?, ?)");
      values.add(query.after().createdAt());
      values.add(query.after().id());
    }
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    String sql = "SELECT " + JobsTable.COLUMNS + " FROM jobs" + where + " ORDER BY created_at DESC, id DESC LIMIT ?";
    values.add(query.limit() + 1);
    List<JobSummary> items = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      Sql.bindAll(select, values);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          items.add(JobsTable.read(rows).summary());
        }
      }
    }
    // One row more than asked tells whether another page follows.
    if (items.size() <= query.limit()) {
      return new JobPage(items, null);
    }
    List<JobSummary> page = items.subList(0, query.limit());
    return new JobPage(page, ListCursor.after(page.get(page.size() - 1)).encode());
  }

  private static void addCondition(List<String> conditions, List<Object> values, String condition, Object value) {
    if (value != null) {
      conditions.add(condition);
      values.add(value);
    }
  }

  private static Map<JobStatus, Long> countsByStatus(Connection connection, String tenant) throws SQLException {
    String sql = "SELECT status, COUNT(*) AS jobs FROM jobs" + (tenant == null ? "" : " WHERE tenant = ?") + " GROUP BY status";
    Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
    for (JobStatus status : JobStatus.values()) {
      counts.put(status, 0L);
    }
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      Sql.bindAll(select, tenant == null ? List.of() : List.of(tenant));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          counts.put(JobStatus.valueOf(rows.getString("status")), rows.getLong("jobs"));
        }
      }
    }
    return Collections.unmodifiableMap(counts);
  }

  private static long activeJobs(Connection connection, String tenant) throws SQLException {
    List<Object> values = new ArrayList<>();
    values.add(tenant);
    values.addAll(ACTIVE);
    try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM jobs WHERE tenant = ? AND status IN (?, ?, ?, ?)")) {
      Sql.bindAll(select, values);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static List<QueueStats> queueStats(Connection connection, String tenant) throws SQLException {
    String sql = "SELECT queue, status, COUNT(*) AS jobs, MIN(ready_at) AS oldest_ready FROM jobs WHERE status IN (?, ?, ?, ?)"
        + (tenant == null ? "" : " AND tenant = ?") + " GROUP BY queue, status";
    List<Object> values = new ArrayList<>(ACTIVE);
    if (tenant != null) {
      values.add(tenant);
    }
    Map<String, Map<JobStatus, Long>> counts = new TreeMap<>();
    Map<String, Instant> oldestPending = new TreeMap<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      Sql.bindAll(select, values);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String queue = rows.getString("queue");
          JobStatus status = JobStatus.valueOf(rows.getString("status"));
          counts.computeIfAbsent(queue, q -> new EnumMap<>(JobStatus.class)).put(status, rows.getLong("jobs"));
          if (status == JobStatus.PENDING) {
            oldestPending.put(queue, Sql.instant(rows, "oldest_ready"));
          }
        }
      }
    }
    List<QueueStats> stats = new ArrayList<>();
    counts.forEach((queue, byStatus) -> stats.add(queueStats(queue, byStatus, oldestPending.get(queue))));
    return stats;
  }

  private static Map<String, Map<String, Long>> pendingByType(Connection connection, String tenant) throws SQLException {
    String sql = "SELECT queue, type, COUNT(*) AS jobs FROM jobs WHERE status = 'PENDING'" + (tenant == null ? "" : " AND tenant = ?")
        + " GROUP BY queue, type";
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      Sql.bindAll(select, tenant == null ? List.of() : List.of(tenant));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          counts.computeIfAbsent(rows.getString("queue"), queue -> new TreeMap<>()).put(rows.getString("type"), rows.getLong("jobs"));
        }
      }
    }
    return counts;
  }

  private static QueueStats queueStats(String queue, Map<JobStatus, Long> byStatus, Instant oldestPending) {
    return new QueueStats(queue, byStatus.getOrDefault(JobStatus.PENDING, 0L), byStatus.getOrDefault(JobStatus.SCHEDULED, 0L),
        byStatus.getOrDefault(JobStatus.RUNNING, 0L), byStatus.getOrDefault(JobStatus.RETRYING, 0L), oldestPending);
  }

  private static List<FinishedTimings> finishedTimings(Connection connection, String tenant, Instant since) throws SQLException {
    // Only a finished job has finished_at, so the window alone picks terminal jobs (a redriven one
    // loses it). A job that never started has no wait_ms nor run_ms, and aggregates skip nulls.
    String sql = "SELECT queue, type, COUNT(*) AS finished, " + countWhereStatus("completed") + ", " + countWhereStatus("failed") + ", "
        + countWhereStatus("cancelled") + ", " + countWhereStatus("expired") + ", COUNT(run_ms) AS started, "
        + spread("wait_ms") + ", " + spread("run_ms")
        + " FROM (SELECT queue, type, status, " + Sql.millisBetween("GREATEST(created_at, spec_run_at)", "started_at") + " AS wait_ms, "
        + Sql.millisBetween("started_at", "finished_at") + " AS run_ms FROM jobs WHERE finished_at >= ?"
        + (tenant == null ? "" : " AND tenant = ?") + ") finished GROUP BY queue, type ORDER BY queue, type";
    List<Object> values = new ArrayList<>(List.of(JobStatus.COMPLETED.name(), JobStatus.FAILED.name(), JobStatus.CANCELLED.name(),
        JobStatus.EXPIRED.name(), since));
    if (tenant != null) {
      values.add(tenant);
    }
    List<FinishedTimings> timings = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      Sql.bindAll(select, values);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          boolean started = rows.getLong("started") > 0;
          long completed = rows.getLong("completed");
          long failed = rows.getLong("failed");
          timings.add(new FinishedTimings(rows.getString("queue"), rows.getString("type"), rows.getLong("finished"), completed, failed,
              rows.getLong("cancelled"), rows.getLong("expired"), Stats.successRate(completed, failed),
              started ? millis(rows, "wait_ms") : null, started ? millis(rows, "run_ms") : null));
        }
      }
    }
    return timings;
  }

  private static String countWhereStatus(String alias) {
    return "COUNT(CASE WHEN status = ? THEN 1 END) AS " + alias;
  }

  /** Average, median, 95th percentile and maximum of {@code column}, as {@code <column>_avg} and so on. */
  private static String spread(String column) {
    return "AVG(" + column + ") AS " + column + "_avg, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY " + column + ") AS " + column + "_p50, "
        + "PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY " + column + ") AS " + column + "_p95, MAX(" + column + ") AS " + column + "_max";
  }

  private static FinishedTimings.Millis millis(ResultSet rows, String column) throws SQLException {
    return new FinishedTimings.Millis(Math.round(rows.getDouble(column + "_avg")), Math.round(rows.getDouble(column + "_p50")),
        Math.round(rows.getDouble(column + "_p95")), Math.round(rows.getDouble(column + "_max")));
  }

  private static List<WorkerLoad> runningByWorker(Connection connection, String tenant) throws SQLException {
    String sql = "SELECT worker_id, queue, COUNT(*) AS running FROM jobs WHERE tenant = ? AND status = ? AND worker_id IS NOT NULL"
        + " GROUP BY worker_id, queue ORDER BY worker_id, queue";
    List<WorkerLoad> loads = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      Sql.bindAll(select, List.of(tenant, JobStatus.RUNNING.name()));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          loads.add(new WorkerLoad(rows.getString("worker_id"), rows.getString("queue"), rows.getInt("running")));
        }
      }
    }
    return loads;
  }

  private static List<RunningAttempt> runningAttempts(Connection connection, String queue, int limit) throws SQLException {
    String sql = "SELECT id, tenant, node FROM jobs WHERE status = ? AND queue = ? ORDER BY id LIMIT ?";
    List<RunningAttempt> running = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      Sql.bindAll(select, List.of(JobStatus.RUNNING.name(), queue, limit));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          running.add(new RunningAttempt(rows.getString("id"), rows.getString("tenant"), rows.getString("node")));
        }
      }
    }
    return running;
  }

  private static List<DueJob> due(Connection connection, DuePage page) throws SQLException {
    // deadline_at is null for every job that waits for no deadline (finished jobs among them).
    StringBuilder sql = new StringBuilder("SELECT id, status, deadline_at FROM jobs WHERE deadline_at <= ?");
    List<Object> values = new ArrayList<>(List.of(page.until()));
    if (page.afterAt() != null && page.afterId() != null) {
      sql.append(" AND (deadline_at > ? OR (deadline_at = ? AND id > ?))");
      values.addAll(List.of(page.afterAt(), page.afterAt(), page.afterId()));
    } else if (page.afterAt() != null) {
      sql.append(" AND deadline_at > ?");
      values.add(page.afterAt());
    }
    if (!page.statuses().isEmpty()) {
      sql.append(" AND status IN (").append(String.join(", ", Collections.nCopies(page.statuses().size(), "?"))).append(")");
      page.statuses().forEach(status -> values.add(status.name()));
    }
    sql.append(" ORDER BY deadline_at, id LIMIT ?");
    values.add(page.limit());
    List<DueJob> due = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
      Sql.bindAll(select, values);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          due.add(new DueJob(rows.getString("id"), JobStatus.valueOf(rows.getString("status")), Sql.instant(rows, "deadline_at")));
        }
      }
    }
    return due;
  }
}
