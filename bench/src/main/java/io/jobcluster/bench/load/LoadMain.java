package io.jobcluster.bench.load;

import io.jobcluster.bench.ChildMain;

/**
 * The load generator's JVM: {@code LoadMain <task.json> <result.json>} runs one {@link LoadTask}
 * and writes its result. Started by the orchestrator, so the load competes with the node for the
 * machine as a real client would, and never shares its heap or its collector.
 */
public final class LoadMain {
  private LoadMain() {}

  public static void main(String[] args) {
    ChildMain.run(args, LoadTask.class, LoadTask::run);
  }
}
