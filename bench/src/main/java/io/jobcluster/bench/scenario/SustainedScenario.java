package io.jobcluster.bench.scenario;

import io.jobcluster.bench.CountAt;
import io.jobcluster.bench.load.JobShape;
import io.jobcluster.bench.load.LoadTask;
import io.jobcluster.bench.load.OpenLoopResult;
import io.jobcluster.bench.metrics.MachineInfo;
import io.jobcluster.bench.metrics.NodeCounts;
import io.jobcluster.bench.metrics.Rates;
import io.jobcluster.bench.report.Formats;
import io.jobcluster.bench.report.Plots;
import io.jobcluster.bench.report.Section;
import io.jobcluster.bench.report.TargetCheck;
import io.jobcluster.bench.run.BenchContext;
import io.jobcluster.bench.run.JobclusterRig;
import io.jobcluster.bench.run.MetricsWatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** (b) The highest fixed submit rate one node sustains: short probes to find it, one long run to confirm it. */
final class SustainedScenario implements Scenario {
  /** One probe or the confirming run: its rate, what the rule said, and the counters for the plot. */
  record Probe(int rate, Duration length, OpenLoopResult load, BacklogRule.Verdict verdict, List<NodeCounts> readings) {}

  @Override
  public List<String> ids() {
    return List.of("b");
  }

  @Override
  public String title() {
    return "sustained throughput (b)";
  }

  @Override
  public List<Section> run(BenchContext context) {
    String load = MachineInfo.loadAverage();
    List<Probe> probes = new ArrayList<>();
    RateSearch search = RateSearch.startingAt(context.sizes().firstProbeRate(), context.sizes().maxProbes());
    while (!search.done()) {
      Probe probe = probe(context, search.next(), context.sizes().probe());
      probes.add(probe);
      search = search.after(probe.verdict().held());
    }
    // Every confirming run is reported; the last one is the figure.
    List<Probe> confirms = new ArrayList<>();
    if (search.held() > 0) {
      confirms.add(probe(context, search.held(), context.sizes().confirm()));
      if (!confirms.get(0).verdict().held()) {
        // A short probe can hold where two minutes do not: one step down, confirmed in full again.
        confirms.add(probe(context, Math.max(RateSearch.MIN_RATE, (int) (search.held() * 0.8)), context.sizes().confirm()));
      }
    }
    context.raw("b-sustained", Map.of("probes", probes, "confirms", confirms));
    return List.of(section(context, load, probes, confirms));
  }

  private Probe probe(BenchContext context, int rate, Duration length) {
    context.say("b: " + rate + " jobs/s for " + length.toSeconds() + " s");
    int batch = context.sizes().sustainedBatch();
    try (JobclusterRig rig = WarmUp.started(context, "b-" + rate, 1, Map.of());
         MetricsWatcher watcher = rig.watch()) {
      NodeCounts base = watcher.latest();
      OpenLoopResult result = context.load("b-" + rate, new LoadTask.OpenLoop(rig.target(), rate, batch, Duration.ZERO, length,
          JobShape.noop(), Duration.ZERO), OpenLoopResult.class, length.plusMinutes(3));
      long end = result.firstDueEpochMillis() + length.toMillis();
      long drained = watcher.awaitCompleted(base.completed() + result.jobsAccepted(),
          Duration.ofMillis(Math.max(0, end + BacklogRule.DRAIN.toMillis() - System.currentTimeMillis()) + 500)).orElse(0);
      List<NodeCounts> readings = watcher.readings().stream().map(r -> r.minus(base)).toList();
      BacklogRule.Verdict verdict = BacklogRule.judge(readings, result.firstDueEpochMillis(), end, rate, result.jobsSent(),
          result.jobsAccepted(), drained);
      return new Probe(rate, length, result, verdict, readings);
    }
  }

  private Section section(BenchContext context, String load, List<Probe> probes, List<Probe> confirms) {
    Probe confirm = confirms.isEmpty() ? null : confirms.get(confirms.size() - 1);
    Section.Builder section = new Section.Builder("b", "Sustained throughput, one node", load)
        .method("Open-loop submissions at a fixed rate as batches of " + context.sizes().sustainedBatch() + " no-op jobs "
            + "(`POST /v1/jobs/batch`; batches keep the request rate low enough that the load generator never limits the "
            + "job rate, as a busy producer would batch). A rate holds when the backlog (accepted − completed, from the node's "
            + "metrics every 250 ms) grows by less than " + BacklogRule.TOLERANCE.toSeconds() + " s of submissions over the "
            + "run's second half, every submission is accepted, and the backlog drains within " + BacklogRule.DRAIN.toSeconds()
            + " s of the load's end.")
        .method("Search: " + context.sizes().probe().toSeconds() + " s probes on fresh nodes and databases, doubling from "
            + context.sizes().firstProbeRate() + "/s while they hold, then bisecting (at most " + context.sizes().maxProbes()
            + " probes); the rate found is confirmed by a " + context.sizes().confirm().toSeconds() + " s run, and if that "
            + "fails, 80 % of it by another.")
        .method(WarmUp.method(context));
    List<List<String>> rows = new ArrayList<>();
    List<Probe> all = new ArrayList<>(probes);
    all.addAll(confirms);
    for (Probe probe : all) {
      rows.add(List.of(confirms.contains(probe) ? "confirm" : "probe", Formats.rate(probe.rate()), Formats.seconds(probe.length().toSeconds()),
          Formats.count(probe.load().jobsAccepted()) + " / " + Formats.count(probe.load().jobsSent()),
          Formats.decimal(probe.verdict().growth(), 0), Double.isNaN(probe.verdict().drainSeconds()) ? "–"
              : Formats.seconds(probe.verdict().drainSeconds()), probe.verdict().reason()));
    }
    section.table(new Section.Table("Probes", List.of("run", "rate", "length", "accepted / sent", "backlog growth, 2nd half",
        "drained after", "verdict"), rows));
    if (confirm == null) {
      section.note("no probed rate held");
      section.target(TargetCheck.notMeasured("b", "sustained ≥ 2,000 jobs/s, one node", "no rate held"));
      return section.build();
    }
    long origin = confirm.load().firstDueEpochMillis();
    Map<String, List<Plots.Point>> lines = new LinkedHashMap<>();
    lines.put("accepted/s", Rates.perSecond(confirm.readings().stream().map(r -> new CountAt(r.epochMillis(), r.submitted())).toList(), origin, 1000));
    lines.put("completed/s", Rates.perSecond(confirm.readings().stream().map(r -> new CountAt(r.epochMillis(), r.completed())).toList(), origin, 1000));
    lines.put("backlog (jobs)", Rates.values(confirm.readings().stream().map(r -> new CountAt(r.epochMillis(), r.backlog())).toList(), origin));
    Plots.overTime(context.plotFile("b-sustained"), "Sustained run at " + Formats.rate(confirm.rate()), "jobs/s, jobs", lines);
    section.plot(new Section.Plot("b: the confirming run over time", BenchContext.plotLink("b-sustained")));
    boolean held = confirm.verdict().held();
    section.target(new TargetCheck("b", "sustained ≥ 2,000 jobs/s, one node", held ? Formats.rate(confirm.rate()) : "confirm failed at "
        + Formats.rate(confirm.rate()), TargetCheck.Verdict.of(held && confirm.rate() >= BurnDownScenario.TARGET_JOBS_PER_SECOND)));
    return section.build();
  }
}
