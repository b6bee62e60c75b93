package io.jobcluster.bench.scenario;

import io.jobcluster.bench.load.BurstResult;
import io.jobcluster.bench.load.HistogramCodec;
import io.jobcluster.bench.load.JobShape;
import io.jobcluster.bench.load.LoadTask;
import io.jobcluster.bench.metrics.HeapProbe;
import io.jobcluster.bench.metrics.MachineInfo;
import io.jobcluster.bench.report.Formats;
import io.jobcluster.bench.report.Percentiles;
import io.jobcluster.bench.report.Section;
import io.jobcluster.bench.report.TargetCheck;
import io.jobcluster.bench.run.BenchContext;
import io.jobcluster.bench.run.JobclusterRig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * (i) Delayed jobs: many jobs due in a day accepted by one node with a 1 GB heap and still
 * answering, then jobs due within minutes firing on time, with a short wake horizon so that
 * waiting jobs leave memory and the deadline sweep must wake them.
 */
final class DelayedJobsScenario implements Scenario {
  /** The node settings of this scenario (issue 10, deliverable 3); unknown variables are harmless to older nodes. */
  static final Map<String, String> ENV = Map.of("JOBCLUSTER_JOB_WAKE_HORIZON", "30s", "JOBCLUSTER_DEADLINE_SWEEP_INTERVAL", "5s");
  static final double ON_TIME_P99_MICROS = 1_000_000;
  private static final int SAMPLE_GETS = 100;

  @Override
  public List<String> ids() {
    return List.of("i");
  }

  @Override
  public String title() {
    return "delayed jobs: many waiting, then firing on time (i)";
  }

  @Override
  public List<Section> run(BenchContext context) {
    String load = MachineInfo.loadAverage();
    int delayed = context.sizes().delayedJobs();
    int firing = context.sizes().firingJobs();
    Duration lead = context.sizes().firingLead();
    Duration spread = context.sizes().firingSpread();
    BurstResult waiting;
    BurstResult fired;
    long heap;
    boolean alive;
    try (JobclusterRig rig = JobclusterRig.start(context.postgres(), "i-jobcluster", 1, ENV)) {
      context.say("i: " + delayed + " jobs due in a day");
      waiting = context.load("i-delayed", new LoadTask.Burst(rig.target(), delayed, context.sizes().batchSize(), context.sizes().submitters(),
          JobShape.noop().dueIn(Duration.ofDays(1), Duration.ZERO), SAMPLE_GETS, Duration.ZERO), BurstResult.class, BurnDowns.timeout(delayed));
      heap = HeapProbe.liveBytes(rig.pids().get(0));
      context.say("i: " + firing + " callback jobs due in " + lead.toSeconds() + "-" + lead.plus(spread).toSeconds() + " s");
      Duration wait = lead.plus(spread).plusSeconds(60);
      fired = context.load("i-firing", new LoadTask.Burst(rig.target(), firing, context.sizes().batchSize(), context.sizes().submitters(),
          JobShape.callback().dueIn(lead, spread), 0, wait), BurstResult.class, BurnDowns.timeout(firing).plus(wait));
      alive = rig.allAlive();
    }
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("delayed", waiting);
    raw.put("liveHeapBytes", heap);
    raw.put("firing", fired);
    context.raw("i-delayed", raw);
    return List.of(section(context, load, waiting, fired, heap, alive));
  }

  private Section section(BenchContext context, String load, BurstResult waiting, BurstResult fired, long heap, boolean alive) {
    BurstResult.SampleGets gets = waiting.gets();
    Percentiles getLatency = Percentiles.of(HistogramCodec.decode(gets.latency()));
    BurstResult.Lateness lateness = fired.lateness();
    Percentiles late = Percentiles.of(HistogramCodec.decode(lateness.histogram()));
    Section.Builder section = new Section.Builder("i", "Delayed jobs", load)
        .method("One node (" + String.join(" ", JobclusterRig.NODE_JVM_OPTIONS) + ") with " + ENV + ": "
            + Formats.count(waiting.jobs()) + " no-op jobs with runAt a day ahead through the batch API; then the live heap "
            + "after a full collection, and `GET /v1/jobs/{id}` of " + SAMPLE_GETS + " of them spread over the whole set.")
        .method("Then the firing check: " + Formats.count(fired.jobs()) + " `http` jobs calling back into the load generator, "
            + "runAt spread evenly from " + context.sizes().firingLead().toSeconds() + " s to "
            + context.sizes().firingLead().plus(context.sizes().firingSpread()).toSeconds() + " s after the load began; "
            + "lateness = the call's arrival − runAt (both wall clock on this machine).")
        .table(new Section.Table("Waiting jobs", List.of("jobs accepted", "accepted/s", "live heap after", "node alive",
            "GETs answered", "statuses", "GET p50", "GET max"), List.of(List.of(Formats.count(waiting.accepted()),
            Formats.rate(waiting.acceptedPerSecond()), HeapScenario.mebibytes(heap), alive ? "yes" : "NO",
            gets.answered() + " of " + gets.asked(), gets.statuses().toString(), Percentiles.cell(getLatency.p50()),
            Percentiles.cell(getLatency.max())))))
        .table(new Section.Table("Firing", List.of("jobs", "called", "lateness p50", "p99", "max", "early", "accepted after runAt",
            "called twice"), List.of(List.of(Formats.count(fired.jobs()), Formats.count(lateness.arrived()), Percentiles.cell(late.p50()),
            Percentiles.cell(late.p99()), Percentiles.cell(late.max()),
            lateness.early() == 0 ? "0" : lateness.early() + " (earliest " + Formats.millis(-lateness.earliestMicros()) + " early)",
            Formats.count(lateness.submittedLate()), Formats.count(lateness.repeated())))));
    boolean accepted = waiting.accepted() == waiting.jobs() && alive && gets.answered() == gets.asked();
    section.target(new TargetCheck("i", Formats.count(waiting.jobs()) + " delayed jobs accepted by one node with -Xmx1g, still answering GET",
        Formats.count(waiting.accepted()) + " accepted, " + gets.answered() + "/" + gets.asked() + " GETs, node " + (alive ? "alive" : "gone"),
        TargetCheck.Verdict.of(accepted)));
    boolean onTime = lateness.early() == 0 && lateness.arrived() == lateness.expected() && late.p99() <= ON_TIME_P99_MICROS;
    section.target(new TargetCheck("i", "jobs fire on time (none early, all called, p99 lateness ≤ 1 s: the bench's reading)",
        "p99 " + Percentiles.cell(late.p99()) + ", " + lateness.early() + " early, " + lateness.arrived() + "/" + lateness.expected() + " called",
        TargetCheck.Verdict.of(onTime)));
    if (lateness.submittedLate() > 0) {
      section.note(lateness.submittedLate() + " firing jobs were accepted only after their runAt (submission slower than the lead): left out of the lateness figures");
    }
    return section.build();
  }
}
