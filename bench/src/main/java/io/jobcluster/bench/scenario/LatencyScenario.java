package io.jobcluster.bench.scenario;

import io.jobcluster.bench.dbscheduler.DbSchedulerConfig;
import io.jobcluster.bench.dbscheduler.DbSchedulerTask;
import io.jobcluster.bench.load.JobShape;
import io.jobcluster.bench.load.LoadTask;
import io.jobcluster.bench.load.OpenLoopResult;
import io.jobcluster.bench.metrics.MachineInfo;
import io.jobcluster.bench.metrics.NodeCounts;
import io.jobcluster.bench.report.Formats;
import io.jobcluster.bench.report.Percentiles;
import io.jobcluster.bench.report.Plots;
import io.jobcluster.bench.report.Section;
import io.jobcluster.bench.report.TargetCheck;
import io.jobcluster.bench.run.BenchContext;
import io.jobcluster.bench.run.BenchPostgres;
import io.jobcluster.bench.run.JobclusterRig;
import io.jobcluster.bench.run.MetricsWatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * (c) submit latency and (d) start latency at fixed rates, open loop. Jobcluster: single
 * {@code POST /v1/jobs} of no-op jobs (c) and of {@code http} jobs calling back into the load
 * generator (d), one node per scenario. db-scheduler: single {@code schedule} calls, whose runs
 * give both its submit and its start latency.
 */
final class LatencyScenario implements Scenario {
  private static final Duration DRAIN = Duration.ofSeconds(60);

  @Override
  public List<String> ids() {
    return List.of("c", "d");
  }

  @Override
  public String title() {
    return "submit latency (c) and start latency (d) at fixed rates";
  }

  @Override
  public List<Section> run(BenchContext context) {
    String load = MachineInfo.loadAverage();
    Map<Integer, OpenLoopResult> submits = context.options().runs("c") ? jobcluster(context, "c", JobShape.noop()) : Map.of();
    Map<Integer, OpenLoopResult> starts = context.options().runs("d") ? jobcluster(context, "d", JobShape.callback()) : Map.of();
    Map<Integer, OpenLoopResult> dbScheduler = dbScheduler(context);
    context.raw("c-d-latency", Map.of("jobclusterSubmit", submits, "jobclusterStart", starts, "dbScheduler", dbScheduler));
    List<Section> sections = new ArrayList<>();
    if (context.options().runs("c")) {
      sections.add(submitSection(context, load, submits, dbScheduler));
    }
    if (context.options().runs("d")) {
      sections.add(startSection(context, load, starts, dbScheduler));
    }
    return sections;
  }

  private Map<Integer, OpenLoopResult> jobcluster(BenchContext context, String id, JobShape shape) {
    Map<Integer, OpenLoopResult> results = new LinkedHashMap<>();
    try (JobclusterRig rig = WarmUp.started(context, id + "-jobcluster", 1, Map.of());
         MetricsWatcher watcher = rig.watch()) {
      for (int rate : context.sizes().latencyRates()) {
        context.say(id + ": Jobcluster at " + rate + "/s");
        NodeCounts base = watcher.latest();
        OpenLoopResult result = context.load(id + "-jobcluster-" + rate, new LoadTask.OpenLoop(rig.target(), rate, 1,
            context.sizes().latencyWarmup(), context.sizes().latencyRun(), shape, Duration.ofSeconds(30)), OpenLoopResult.class, timeout(context));
        results.put(rate, result);
        // The next rate starts on an idle node: what this one left behind runs first.
        long submitted = watcher.latest().submitted();
        watcher.awaitCompleted(base.completed() + (submitted - base.submitted()), DRAIN);
      }
    }
    return results;
  }

  private Map<Integer, OpenLoopResult> dbScheduler(BenchContext context) {
    Map<Integer, OpenLoopResult> results = new LinkedHashMap<>();
    BenchPostgres.Database db = context.postgres().createDatabase("c_dbscheduler");
    DbSchedulerTask.Database database = new DbSchedulerTask.Database(db.settings().url(), db.settings().user(), db.settings().password());
    for (int rate : context.sizes().latencyRates()) {
      context.say("c/d: db-scheduler at " + rate + "/s");
      results.put(rate, context.dbScheduler("c-dbscheduler-" + rate, new DbSchedulerTask.OpenLoop(database, DbSchedulerConfig.STANDARD,
          rate, context.sizes().latencyWarmup(), context.sizes().latencyRun()), OpenLoopResult.class, timeout(context)));
    }
    return results;
  }

  private static Duration timeout(BenchContext context) {
    return context.sizes().latencyWarmup().plus(context.sizes().latencyRun()).plusMinutes(3);
  }

  private Section submitSection(BenchContext context, String load, Map<Integer, OpenLoopResult> jobcluster,
                                Map<Integer, OpenLoopResult> dbScheduler) {
    Section.Builder section = new Section.Builder("c", "Submit latency at fixed rates", load)
        .method("Single submissions at a fixed rate, open loop: each request is due on a fixed schedule and sent without waiting "
            + "for earlier answers; its latency runs from its due time to its answer (coordinated omission corrected), in "
            + "HdrHistogram. " + context.sizes().latencyWarmup().toMillis() + " ms warm-up (not recorded), then "
            + context.sizes().latencyRun().toSeconds() + " s per rate, rates in turn on one node; the node's backlog drains "
            + "before the next rate.")
        .method("Jobcluster: `POST /v1/jobs` of a no-op job (201 after its first event is persisted). db-scheduler: "
            + "`schedule(instance, now)` from a pool of " + DbSchedulerConfig.STANDARD.scheduleCallers() + " caller threads (the call "
            + "blocks), in its JVM, while the scheduler runs; " + DbSchedulerConfig.STANDARD.summary() + ".")
        .method(WarmUp.method(context) + " db-scheduler, a fresh JVM per rate, has the per-rate warm-up only.");
    table(section, jobcluster, dbScheduler, LatencyRows::requests, LatencyRows::requests, "answered");
    plots(context, section, "c", "Submit latency", jobcluster, dbScheduler, LatencyRows::requests);
    OpenLoopResult at1000 = jobcluster.get(1_000);
    if (at1000 == null) {
      section.target(TargetCheck.notMeasured("c", "submit p99 ≤ 10 ms at 1,000/s", "1,000/s not among the rates"));
    } else {
      double p99 = Percentiles.of(LatencyRows.requests(at1000)).p99();
      section.target(new TargetCheck("c", "submit p99 ≤ 10 ms at 1,000/s", Percentiles.cell(p99), TargetCheck.Verdict.of(p99 <= 10_000)));
    }
    return section.build();
  }

  private Section startSection(BenchContext context, String load, Map<Integer, OpenLoopResult> jobcluster,
                               Map<Integer, OpenLoopResult> dbScheduler) {
    Section.Builder section = new Section.Builder("d", "Start latency (submit → handler start) at fixed rates, idle capacity", load)
        .method("Jobcluster: single `POST /v1/jobs` of `http` jobs at a fixed rate, open loop, each calling "
            + "`POST http://127.0.0.1:<port>/cb/<n>` on a small HTTP server inside the load generator's JVM; the latency runs "
            + "from the submission's due time to the call's arrival, on the load generator's clock. 64 worker slots: far more "
            + "than the calls in flight at these rates. Warm-up (also of the node) and duration as in (c).")
        .method("db-scheduler: from the runs of (c'): the no-op task's handler notes when it starts; the latency runs from the "
            + "`schedule` call's due time to that moment (" + DbSchedulerConfig.STANDARD.summary() + ").");
    table(section, jobcluster, dbScheduler, LatencyRows::starts, LatencyRows::starts, "started");
    plots(context, section, "d", "Start latency", jobcluster, dbScheduler, LatencyRows::starts);
    jobcluster.values().stream().filter(r -> r.callbacksMissing() > 0 || r.callbacksRepeated() > 0).forEach(r -> section.note(
        Formats.rate(r.jobsPerSecond()) + ": " + r.callbacksMissing() + " accepted jobs never called back within the wait, "
            + r.callbacksRepeated() + " called more than once"));
    OpenLoopResult at1000 = jobcluster.get(1_000);
    if (at1000 == null) {
      section.target(TargetCheck.notMeasured("d", "start p50 ≤ 5 ms and p99 ≤ 20 ms at 1,000/s", "1,000/s not among the rates"));
    } else {
      Percentiles p = Percentiles.of(LatencyRows.starts(at1000));
      section.target(new TargetCheck("d", "start p50 ≤ 5 ms at 1,000/s", Percentiles.cell(p.p50()), TargetCheck.Verdict.of(p.p50() <= 5_000)));
      section.target(new TargetCheck("d", "start p99 ≤ 20 ms at 1,000/s", Percentiles.cell(p.p99()), TargetCheck.Verdict.of(p.p99() <= 20_000)));
    }
    return section.build();
  }

  private static void table(Section.Builder section, Map<Integer, OpenLoopResult> jobcluster, Map<Integer, OpenLoopResult> dbScheduler,
                            Function<OpenLoopResult, Histogram> jc, Function<OpenLoopResult, Histogram> ds, String measured) {
    List<List<String>> rows = new ArrayList<>();
    List<List<String>> ratios = new ArrayList<>();
    for (Map.Entry<Integer, OpenLoopResult> entry : jobcluster.entrySet()) {
      Histogram mine = jc.apply(entry.getValue());
      rows.add(LatencyRows.row("Jobcluster", entry.getValue(), mine, Formats.count(mine.getTotalCount()) + " " + measured));
      OpenLoopResult peer = dbScheduler.get(entry.getKey());
      if (peer != null) {
        Histogram theirs = ds.apply(peer);
        rows.add(LatencyRows.row("db-scheduler", peer, theirs, Formats.count(theirs.getTotalCount()) + " " + measured));
        Percentiles a = Percentiles.of(mine);
        Percentiles b = Percentiles.of(theirs);
        ratios.add(List.of(Formats.rate(entry.getKey()), Formats.ratio(a.p50(), b.p50()), Formats.ratio(a.p99(), b.p99())));
      }
    }
    section.table(new Section.Table("Latency by rate (from due time)", LatencyRows.HEADER, rows));
    section.table(new Section.Table("Jobcluster / db-scheduler (lower is better for Jobcluster)", List.of("rate", "p50", "p99"), ratios));
  }

  private static void plots(BenchContext context, Section.Builder section, String id, String what, Map<Integer, OpenLoopResult> jobcluster,
                            Map<Integer, OpenLoopResult> dbScheduler, Function<OpenLoopResult, Histogram> histogram) {
    for (String system : List.of("Jobcluster", "db-scheduler")) {
      Map<Integer, OpenLoopResult> results = system.equals("Jobcluster") ? jobcluster : dbScheduler;
      if (results.isEmpty()) {
        continue;
      }
      Map<String, Histogram> lines = new LinkedHashMap<>();
      results.forEach((rate, result) -> lines.put(Formats.rate(rate), histogram.apply(result)));
      String name = id + "-" + system.toLowerCase();
      String title = what + " by percentile, " + system;
      Plots.percentiles(context.plotFile(name), title, lines);
      section.plot(new Section.Plot(title, BenchContext.plotLink(name)));
    }
  }
}
