package io.jobcluster.bench.scenario;

import io.jobcluster.bench.load.BurstResult;
import io.jobcluster.bench.load.JobShape;
import io.jobcluster.bench.load.LoadTask;
import io.jobcluster.bench.metrics.HeapProbe;
import io.jobcluster.bench.metrics.MachineInfo;
import io.jobcluster.bench.report.Formats;
import io.jobcluster.bench.report.Section;
import io.jobcluster.bench.report.TargetCheck;
import io.jobcluster.bench.run.BenchContext;
import io.jobcluster.bench.run.JobclusterRig;
import io.jobcluster.bench.run.MetricsWatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** (g) Heap per waiting job: live heap after a full collection before and after jobs due in an hour are accepted. */
final class HeapScenario implements Scenario {
  static final double TARGET_BYTES = 1_536;

  @Override
  public List<String> ids() {
    return List.of("g");
  }

  @Override
  public String title() {
    return "heap per waiting job (g)";
  }

  @Override
  public List<Section> run(BenchContext context) {
    String load = MachineInfo.loadAverage();
    int jobs = context.sizes().waitingJobs();
    long before;
    long after;
    BurstResult burst;
    try (JobclusterRig rig = JobclusterRig.start(context.postgres(), "g-jobcluster", 1, Map.of())) {
      long pid = rig.pids().get(0);
      Quiet.await(pid);
      before = HeapProbe.liveBytes(pid);
      context.say("g: " + jobs + " jobs due in an hour");
      // Watched only while the jobs come in: scraping every 250 ms would keep the node from ever being quiet.
      try (MetricsWatcher watcher = rig.watch()) {
        burst = context.load("g-waiting", new LoadTask.Burst(rig.target(), jobs, context.sizes().batchSize(), context.sizes().submitters(),
            JobShape.noop().dueIn(Duration.ofHours(1), Duration.ZERO), 0, Duration.ZERO), BurstResult.class, BurnDowns.timeout(jobs));
        watcher.awaitSubmitted(watcher.readings().get(0).submitted() + burst.accepted(), Duration.ofMinutes(2));
      }
      Quiet.await(pid);
      after = HeapProbe.liveBytes(pid);
    }
    double perJob = (double) (after - before) / Math.max(1, burst.accepted());
    context.raw("g-heap", Map.of("jobs", burst.accepted(), "liveBytesBefore", before, "liveBytesAfter", after, "bytesPerJob", perJob));
    Section.Builder section = new Section.Builder("g", "Heap per waiting job", load)
        .method("A fresh node (" + String.join(" ", JobclusterRig.NODE_JVM_OPTIONS) + "): once it is quiet, a full collection "
            + "(`jcmd <pid> GC.run`) and the heap used (`jcmd <pid> GC.heap_info`); then " + Formats.count(jobs) + " no-op jobs "
            + "with runAt an hour ahead through the batch API; once all are accepted and the node is quiet again (its CPU "
            + "below 15 % of a core for 2 s), the same again. Per job: (after − before) / jobs.")
        .table(new Section.Table(null, List.of("jobs accepted", "live heap before", "live heap after", "per waiting job"),
            List.of(List.of(Formats.count(burst.accepted()), mebibytes(before), mebibytes(after), Formats.decimal(perJob, 0) + " bytes"))))
        .target(new TargetCheck("g", "heap per waiting job ≤ 1.5 KB", Formats.decimal(perJob, 0) + " bytes",
            TargetCheck.Verdict.of(perJob <= TARGET_BYTES)));
    if (burst.accepted() != jobs) {
      section.note("only " + burst.accepted() + " of " + jobs + " jobs were accepted: " + burst.failures());
    }
    return List.of(section.build());
  }

  static String mebibytes(long bytes) {
    return Formats.decimal(bytes / 1024.0 / 1024.0, 1) + " MiB";
  }
}
