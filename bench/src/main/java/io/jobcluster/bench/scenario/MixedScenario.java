package io.jobcluster.bench.scenario;

import io.jobcluster.bench.load.HistogramCodec;
import io.jobcluster.bench.load.LoadTask;
import io.jobcluster.bench.load.MixedResult;
import io.jobcluster.bench.metrics.MachineInfo;
import io.jobcluster.bench.report.Formats;
import io.jobcluster.bench.report.Percentiles;
import io.jobcluster.bench.report.Section;
import io.jobcluster.bench.report.TargetCheck;
import io.jobcluster.bench.run.BenchContext;
import io.jobcluster.bench.run.JobclusterRig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** (e) Many concurrent clients, closed loop, mixing submit, get, list and cancel on one node. */
final class MixedScenario implements Scenario {
  @Override
  public List<String> ids() {
    return List.of("e");
  }

  @Override
  public String title() {
    return "concurrent clients mixing submit/get/list/cancel (e)";
  }

  @Override
  public List<Section> run(BenchContext context) {
    String load = MachineInfo.loadAverage();
    MixedResult result;
    try (JobclusterRig rig = WarmUp.started(context, "e-jobcluster", 1, Map.of())) {
      context.say("e: " + context.sizes().mixedClients() + " clients for " + context.sizes().mixedRun().toSeconds() + " s");
      result = context.load("e-mixed", new LoadTask.Mixed(rig.target(), context.sizes().mixedClients(), context.sizes().mixedRun()),
          MixedResult.class, context.sizes().mixedRun().plusMinutes(3));
    }
    context.raw("e-mixed", result);
    Section.Builder section = new Section.Builder("e", context.sizes().mixedClients() + " concurrent clients, mixed requests", load)
        .method(result.clients() + " clients at once for " + Formats.seconds(result.seconds()) + ", each one request at a time "
            + "(closed loop), in rounds of the mix of the node's `ConcurrentClientsHttpTest`: submit a no-op job, get it, list the "
            + "newest 20, submit a job due in an hour, cancel that one. One tenant, one node. Latency is send to answer; a closed "
            + "loop slows down with the node, so these are the waits clients saw, not a rate's.")
        .method("Jobcluster only: db-scheduler has no HTTP API to compare.")
        .method(WarmUp.method(context));
    List<List<String>> rows = new ArrayList<>();
    result.operations().forEach((name, operation) -> {
      Percentiles p = Percentiles.of(HistogramCodec.decode(operation.latency()));
      rows.add(List.of(name, Formats.count(operation.answered()), Percentiles.cell(p.p50()), Percentiles.cell(p.p95()),
          Percentiles.cell(p.p99()), Percentiles.cell(p.max()), operation.failures().isEmpty() ? "none" : operation.failures().toString()));
    });
    section.table(new Section.Table("Latency by operation", List.of("operation", "answered", "p50", "p95", "p99", "max", "failures"), rows));
    MixedResult.Operation all = result.operations().get(MixedResult.ALL);
    Percentiles p = Percentiles.of(HistogramCodec.decode(all.latency()));
    section.target(new TargetCheck("e", "mixed p95 < 200 ms", Percentiles.cell(p.p95()), TargetCheck.Verdict.of(p.p95() < 200_000)));
    section.target(new TargetCheck("e", "mixed p99 < 50 ms (aim)", Percentiles.cell(p.p99()), TargetCheck.Verdict.of(p.p99() < 50_000)));
    return List.of(section.build());
  }
}
