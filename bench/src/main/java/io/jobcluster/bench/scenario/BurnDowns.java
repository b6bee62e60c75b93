package io.jobcluster.bench.scenario;

import io.jobcluster.bench.CountAt;
import io.jobcluster.bench.dbscheduler.DbSchedulerConfig;
import io.jobcluster.bench.dbscheduler.DbSchedulerTask;
import io.jobcluster.bench.load.BurstResult;
import io.jobcluster.bench.load.JobShape;
import io.jobcluster.bench.load.LoadTask;
import io.jobcluster.bench.metrics.DbStats;
import io.jobcluster.bench.metrics.NodeCounts;
import io.jobcluster.bench.run.BenchContext;
import io.jobcluster.bench.run.BenchPostgres;
import io.jobcluster.bench.run.JobclusterRig;
import io.jobcluster.bench.run.MetricsWatcher;
import io.jobcluster.persistence.DatabaseSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The burn-down of both systems (scenarios a, f and h): fresh nodes or scheduler and a fresh database per run. */
final class BurnDowns {
  /** After the last completion: the read model's lag (the journal's 1 s polling plus batching) before the counters are read. */
  static final Duration SETTLE = Duration.ofSeconds(3);
  /** PostgreSQL 15 reports an idle session's counters within 10 s. */
  private static final Duration IDLE_STATS = Duration.ofSeconds(11);
  private static final Duration SESSIONS_END = Duration.ofSeconds(60);

  private BurnDowns() {}

  /** How long a burn-down of {@code jobs} may take before it counts as not finished: 30 jobs/s at least, 2 minutes at least. */
  static Duration timeout(long jobs) {
    return Duration.ofSeconds(Math.max(120, jobs / 30));
  }

  /** Jobcluster on {@code nodes} nodes; the submitters spread over the nodes. */
  static BurnDownRun jobcluster(BenchContext context, String name, int nodes, Map<String, String> env) {
    int jobs = context.sizes().burnDownJobs();
    try (JobclusterRig rig = WarmUp.started(context, name, nodes, env)) {
      // Sessions report their counters lazily (an idle one up to 10 s late): let them, so the warm-up counts before.
      pause(context.sizes().warmupJobs() > 0 ? IDLE_STATS : Duration.ofSeconds(2));
      DbStats before = context.postgres().stats(rig.database());
      double serverCpu = context.postgres().cpuSeconds().orElse(Double.NaN);
      double nodeCpu = rig.cpuSeconds();
      try (MetricsWatcher watcher = rig.watch()) {
        NodeCounts base = watcher.latest();
        BurstResult burst = context.load(name + "-load", new LoadTask.Burst(rig.target(), jobs, context.sizes().batchSize(),
            context.sizes().submitters(), JobShape.noop(), 0, Duration.ZERO), BurstResult.class, timeout(jobs));
        long done = watcher.awaitCompleted(base.completed() + burst.accepted(), timeout(jobs)).orElse(0);
        double nodeCpuUsed = rig.cpuSeconds() - nodeCpu;
        double serverCpuUsed = context.postgres().cpuSeconds().orElse(Double.NaN) - serverCpu;
        List<CountAt> completed = watcher.readings().stream()
            .map(reading -> new CountAt(reading.epochMillis(), reading.completed() - base.completed())).toList();
        pause(SETTLE);
        rig.killAndAwaitSessionsEnded();
        DbStats used = context.postgres().stats(rig.database()).minus(before);
        return new BurnDownRun("Jobcluster", nodes, jobs, burst.accepted(), burst.failures(), burst.firstSubmitEpochMillis(),
            burst.lastAcceptedEpochMillis(), burst.accepted() == jobs ? done : 0, used, serverCpuUsed, nodeCpuUsed, completed,
            context.postgres().topStatements(rig.database(), 15));
      }
    }
  }

  /** db-scheduler in its own JVM on its own database. */
  static BurnDownRun dbScheduler(BenchContext context, String name) {
    int jobs = context.sizes().burnDownJobs();
    BenchPostgres.Database created = context.postgres().createDatabase(name.replace('-', '_'));
    DatabaseSettings db = created.settings();
    DatabaseSettings warmup = context.postgres().createDatabase(name.replace('-', '_') + "_warmup").settings();
    String database = created.name();
    DbStats before = context.postgres().stats(database);
    double serverCpu = context.postgres().cpuSeconds().orElse(Double.NaN);
    DbSchedulerTask.BurnDown task = new DbSchedulerTask.BurnDown(new DbSchedulerTask.Database(db.url(), db.user(), db.password()),
        DbSchedulerConfig.STANDARD, jobs, context.sizes().batchSize(), context.sizes().submitters(), timeout(jobs),
        new DbSchedulerTask.Database(warmup.url(), warmup.user(), warmup.password()), context.sizes().warmupJobs());
    var result = context.dbScheduler(name, task, io.jobcluster.bench.dbscheduler.DbSchedulerBurnDown.Result.class,
        timeout(jobs).multipliedBy(2).plusMinutes(1));
    double serverCpuUsed = context.postgres().cpuSeconds().orElse(Double.NaN) - serverCpu;
    context.postgres().awaitNoSessions(database, SESSIONS_END);
    DbStats used = context.postgres().stats(database).minus(before);
    return new BurnDownRun("db-scheduler", 1, jobs, result.scheduled(), Map.of(), result.firstSubmitEpochMillis(),
        result.lastScheduledEpochMillis(), result.allExecutedEpochMillis(), used, serverCpuUsed, Double.NaN, result.executed(),
        context.postgres().topStatements(database, 15));
  }

  /** Waits for the clock: the orchestrator lets the system settle, it does not wait for another thread. */
  static void pause(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
    }
  }
}
