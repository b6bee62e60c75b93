package io.jobcluster.bench.dbscheduler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How db-scheduler runs in the comparison, as the issue set it: 64 executor threads, lock-and-fetch
 * polling (lower limit 1.0, upper limit 4.0 times the threads), immediate execution of tasks
 * scheduled due now, one no-op one-time task. The pool size is the bench's choice: enough
 * connections for the executor threads' completions to commit in groups without one connection
 * per thread on two cores.
 */
public record DbSchedulerConfig(int threads, double pollLowerLimit, double pollUpperLimit, boolean immediateExecution,
                                int poolSize, int scheduleCallers) {
  public static final String VERSION = "16.7.1";
  public static final DbSchedulerConfig STANDARD = new DbSchedulerConfig(64, 1.0, 4.0, true, 20, 64);

  /** One line for the scenarios that show db-scheduler's figures. */
  public String summary() {
    return "db-scheduler " + VERSION + ": " + threads + " threads, pollUsingLockAndFetch(" + pollLowerLimit + ", " + pollUpperLimit + ")"
        + (immediateExecution ? ", enableImmediateExecution()" : "") + ", HikariCP pool of " + poolSize + ", a no-op one-time task";
  }

  /** The configuration as the report prints it in its configuration part. */
  public Map<String, String> describe() {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("version", "com.github.kagkarlsson:db-scheduler " + VERSION);
    lines.put("executor threads", Integer.toString(threads));
    lines.put("polling", "pollUsingLockAndFetch(" + pollLowerLimit + ", " + pollUpperLimit + ")");
    lines.put("immediate execution", immediateExecution ? "enableImmediateExecution()" : "off");
    lines.put("task", "one one-time task type \"noop\" whose handler only counts the execution");
    lines.put("data source", "HikariCP, maximumPoolSize " + poolSize + ", autocommit");
    lines.put("table", "scheduled_tasks (bench/src/main/resources/db-scheduler/postgresql_tables.sql), fresh database per run");
    lines.put("single schedules (c')", "schedule(instance, now) from a pool of " + scheduleCallers + " caller threads, open loop");
    return lines;
  }
}
