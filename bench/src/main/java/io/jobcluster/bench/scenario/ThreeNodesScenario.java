package io.jobcluster.bench.scenario;

import io.jobcluster.bench.metrics.MachineInfo;
import io.jobcluster.bench.report.Formats;
import io.jobcluster.bench.report.Section;
import io.jobcluster.bench.report.TargetCheck;
import io.jobcluster.bench.run.BenchContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** (h) The burn-down on one node and on three nodes of this one machine, with the CPU each job cost. */
final class ThreeNodesScenario implements Scenario {
  static final double MAX_CPU_GROWTH = 1.20;

  @Override
  public List<String> ids() {
    return List.of("h");
  }

  @Override
  public String title() {
    return "burn-down on three nodes and CPU per job (h)";
  }

  @Override
  public List<Section> run(BenchContext context) {
    String load = MachineInfo.loadAverage();
    context.say("h: one node");
    BurnDownRun one = BurnDowns.jobcluster(context, "h-1-node", 1, Map.of());
    context.say("h: three nodes");
    BurnDownRun three = BurnDowns.jobcluster(context, "h-3-nodes", 3, Map.of());
    context.raw("h-three-nodes", List.of(one, three));
    Section.Builder section = new Section.Builder("h", "Three nodes on this machine", load)
        .method("The burn-down of (a) (" + Formats.count(context.sizes().burnDownJobs()) + " no-op jobs, batches of "
            + context.sizes().batchSize() + ", " + context.sizes().submitters() + " submitters, submitter k on node k mod n) on "
            + "one node, then on three nodes of this machine, each on a fresh database. CPU: user + system time from "
            + "`/proc/<pid>/stat` of the node processes, and of the whole PostgreSQL server (postmaster, its processes and the "
            + "backends it reaped), from before the first submission to the last completion. " + WarmUp.method(context));
    List<List<String>> rows = new ArrayList<>();
    for (BurnDownRun run : List.of(one, three)) {
      rows.add(List.of(Integer.toString(run.nodes()), Formats.rate(run.acceptedPerSecond()),
          run.allDone() ? Formats.rate(run.endToEndPerSecond()) : "not all done",
          Formats.decimal(run.systemCpuSeconds() * 1000 / run.jobs(), 2), Formats.decimal(run.serverCpuSeconds() * 1000 / run.jobs(), 2),
          Formats.decimal(run.cpuMillisPerJob(), 2)));
    }
    section.table(new Section.Table(null, List.of("nodes", "accepted/s", "end to end", "node CPU ms/job", "PostgreSQL CPU ms/job",
        "total CPU ms/job"), rows));
    double growth = three.cpuMillisPerJob() / one.cpuMillisPerJob();
    boolean measured = one.allDone() && three.allDone() && !Double.isNaN(growth);
    section.target(measured ? new TargetCheck("h", "CPU per job grows ≤ 20 % from one node to three",
        Formats.decimal((growth - 1) * 100, 0) + " % (" + Formats.decimal(one.cpuMillisPerJob(), 2) + " → "
            + Formats.decimal(three.cpuMillisPerJob(), 2) + " ms/job)", TargetCheck.Verdict.of(growth <= MAX_CPU_GROWTH))
        : TargetCheck.notMeasured("h", "CPU per job grows ≤ 20 % from one node to three", "a run did not finish"));
    section.target(three.allDone() ? new TargetCheck("h", "three nodes: report throughput", Formats.rate(three.endToEndPerSecond()),
        TargetCheck.Verdict.MET) : TargetCheck.notMeasured("h", "three nodes: report throughput", "not all done"));
    return List.of(section.build());
  }
}
