package io.jobcluster.bench.scenario;

import io.jobcluster.bench.load.BurstResult;
import io.jobcluster.bench.load.JobShape;
import io.jobcluster.bench.load.LoadTask;
import io.jobcluster.bench.metrics.NodeCounts;
import io.jobcluster.bench.run.BenchContext;
import io.jobcluster.bench.run.JobclusterRig;
import io.jobcluster.bench.run.MetricsWatcher;
import java.time.Duration;
import java.util.Map;

/**
 * An unmeasured burn-down on freshly started nodes before they are measured, so their JIT has
 * compiled the hot path: a node's CPU per job still falls by a third from its second to its fourth
 * 20,000 jobs, and a production node is measured warm. Each node gets its share: three nodes warm
 * up with three times the jobs, since each JVM compiles its own hot path from the jobs it sees.
 * Then it waits until the nodes are quiet.
 */
final class WarmUp {
  private WarmUp() {}

  /** {@link JobclusterRig#start} of fresh nodes, then their warm-up; the nodes are stopped again if it fails. */
  static JobclusterRig started(BenchContext context, String name, int nodes, Map<String, String> env) {
    JobclusterRig rig = JobclusterRig.start(context.postgres(), name, nodes, env);
    try {
      run(context, rig, name);
      return rig;
    } catch (RuntimeException | Error e) {
      rig.close();
      throw e;
    }
  }

  /** Runs {@link io.jobcluster.bench.Sizes#warmupJobs()} no-op jobs per node on {@code rig} to COMPLETED (nothing with none). */
  private static void run(BenchContext context, JobclusterRig rig, String name) {
    int jobs = context.sizes().warmupJobs() * rig.pids().size();
    if (jobs == 0) {
      return;
    }
    context.say(name + ": warm-up of " + jobs + " jobs");
    Duration timeout = BurnDowns.timeout(jobs);
    try (MetricsWatcher watcher = rig.watch()) {
      NodeCounts base = watcher.latest();
      BurstResult burst = context.load(name + "-warmup", new LoadTask.Burst(rig.target(), jobs, context.sizes().batchSize(),
          context.sizes().submitters(), JobShape.noop(), 0, Duration.ZERO), BurstResult.class, timeout);
      watcher.awaitCompleted(base.completed() + burst.accepted(), timeout);
    }
    // What the burst left behind (the read model catching up, finished jobs leaving memory) is done
    // before the measured part: a node measured warm, not busy with the warm-up's tail.
    rig.pids().forEach(Quiet::await);
  }

  /** How the report says it. */
  static String method(BenchContext context) {
    return "Nodes are measured warm: right after they start they run an unmeasured burn-down of "
        + String.format("%,d", context.sizes().warmupJobs()) + " no-op jobs per node, then wait until each is quiet (under "
        + Math.round(Quiet.MAX_SHARE * 100) + " % of a core for " + Quiet.WINDOW.toSeconds() + " s).";
  }
}
