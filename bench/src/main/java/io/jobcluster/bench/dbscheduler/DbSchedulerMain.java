package io.jobcluster.bench.dbscheduler;

import io.jobcluster.bench.ChildMain;

/**
 * db-scheduler's JVM: {@code DbSchedulerMain <task.json> <result.json>} runs one
 * {@link DbSchedulerTask} (the scheduler and its submitters, in-process as a library's user runs
 * it) and writes its result.
 */
public final class DbSchedulerMain {
  private DbSchedulerMain() {}

  public static void main(String[] args) {
    ChildMain.run(args, DbSchedulerTask.class, DbSchedulerTask::run);
  }
}
