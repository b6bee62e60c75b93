package io.jobcluster.bench.scenario;

import io.jobcluster.bench.CountAt;
import io.jobcluster.bench.metrics.DbStats;
import java.util.List;
import java.util.Map;

/**
 * One burn-down of one system: N jobs submitted in batches, timed to the last one done.
 *
 * @param allDoneEpochMillis when the last job completed (interpolated between 250 ms readings for
 *     Jobcluster, exact for db-scheduler); 0 when not all completed in time
 * @param db the database's counters over the run, read after every session had ended
 * @param serverCpuSeconds CPU of the whole PostgreSQL server over the run; NaN when unreadable
 * @param systemCpuSeconds CPU of the node processes (Jobcluster) over the run; NaN for db-scheduler
 * @param done completed (executed) jobs over time
 */
public record BurnDownRun(String system, int nodes, long jobs, long accepted, Map<String, Long> failures,
                          long firstSubmitEpochMillis, long lastAcceptedEpochMillis, long allDoneEpochMillis,
                          DbStats db, double serverCpuSeconds, double systemCpuSeconds, List<CountAt> done,
                          List<Map<String, Object>> topStatements) {

  public boolean allDone() {
    return allDoneEpochMillis > 0;
  }

  public double acceptedPerSecond() {
    return accepted * 1000.0 / Math.max(1, lastAcceptedEpochMillis - firstSubmitEpochMillis);
  }

  /** Jobs per second from the first submission to the last completion; NaN if they did not all complete. */
  public double endToEndPerSecond() {
    return allDone() ? jobs * 1000.0 / Math.max(1, allDoneEpochMillis - firstSubmitEpochMillis) : Double.NaN;
  }

  public double commitsPerJob() {
    return (double) db.commits() / jobs;
  }

  public double rowsPerJob() {
    return (double) db.written() / jobs;
  }

  /** CPU seconds per job of the system's processes plus the database server's. */
  public double cpuMillisPerJob() {
    return (systemCpuSeconds + serverCpuSeconds) * 1000 / jobs;
  }
}
