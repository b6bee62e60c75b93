package io.jobcluster.bench.scenario;

import io.jobcluster.bench.dbscheduler.DbSchedulerConfig;
import io.jobcluster.bench.metrics.DbStats;
import io.jobcluster.bench.metrics.MachineInfo;
import io.jobcluster.bench.metrics.Rates;
import io.jobcluster.bench.report.Formats;
import io.jobcluster.bench.report.Plots;
import io.jobcluster.bench.report.Section;
import io.jobcluster.bench.report.TargetCheck;
import io.jobcluster.bench.run.BenchContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * (a) End-to-end burn-down of both systems, repeated on fresh nodes (scheduler) and databases, and
 * (f) what each job cost the database in those same runs.
 */
final class BurnDownScenario implements Scenario {
  static final double TARGET_JOBS_PER_SECOND = 2_000;

  @Override
  public List<String> ids() {
    return List.of("a", "f");
  }

  @Override
  public String title() {
    return "end-to-end burn-down (a) and database cost per job (f)";
  }

  @Override
  public List<Section> run(BenchContext context) {
    String load = MachineInfo.loadAverage();
    List<BurnDownRun> jobcluster = new ArrayList<>();
    List<BurnDownRun> dbScheduler = new ArrayList<>();
    for (int r = 1; r <= context.sizes().repetitions(); r++) {
      context.say("a: run " + r + " of " + context.sizes().repetitions() + ", Jobcluster");
      jobcluster.add(BurnDowns.jobcluster(context, "a-jobcluster-" + r, 1, Map.of()));
      context.say("a: run " + r + ", db-scheduler");
      dbScheduler.add(BurnDowns.dbScheduler(context, "a-dbscheduler-" + r));
    }
    context.raw("a-burn-down", Map.of("jobcluster", jobcluster, "dbScheduler", dbScheduler));
    List<Section> sections = new ArrayList<>();
    if (context.options().runs("a")) {
      sections.add(burnDown(context, load, jobcluster, dbScheduler));
    }
    if (context.options().runs("f")) {
      sections.add(databaseCost(load, jobcluster, dbScheduler));
    }
    return sections;
  }

  private Section burnDown(BenchContext context, String load, List<BurnDownRun> jobcluster, List<BurnDownRun> dbScheduler) {
    int jobs = context.sizes().burnDownJobs();
    Section.Builder section = new Section.Builder("a", "End-to-end burn-down, one node", load)
        .method(Formats.count(jobs) + " no-op jobs submitted through `POST /v1/jobs/batch` in batches of "
            + context.sizes().batchSize() + " by " + context.sizes().submitters() + " concurrent submitters (each waits for its "
            + "batch's answer), from the load generator's JVM; timed from the first submission to the last job COMPLETED, "
            + "seen in the node's `jobcluster_jobs_completed_total` (read every 250 ms, the crossing interpolated).")
        .method("db-scheduler: the same number of no-op tasks through `scheduleBatch` in batches of " + context.sizes().batchSize()
            + " by " + context.sizes().submitters() + " submitter threads while the scheduler runs, in its own JVM; timed to "
            + "the last execution, counted in the task itself.")
        .method(context.sizes().repetitions() + " run(s) each, alternating, each on fresh nodes (scheduler) and a fresh database; "
            + "figures are the median and the range.")
        .method("Both systems are measured warm: before each measured run, the same JVMs run an unmeasured burn-down of "
            + Formats.count(context.sizes().warmupJobs()) + " jobs (Jobcluster: on the same node and database, whose counters are "
            + "read after it; db-scheduler: with a scheduler of its own on a database of its own).")
        .method(DbSchedulerConfig.STANDARD.summary() + ".");
    List<List<String>> rows = new ArrayList<>();
    for (List<BurnDownRun> runs : List.of(jobcluster, dbScheduler)) {
      for (int i = 0; i < runs.size(); i++) {
        BurnDownRun run = runs.get(i);
        rows.add(List.of(run.system(), Integer.toString(i + 1), Formats.count(run.accepted()), Formats.rate(run.acceptedPerSecond()),
            run.allDone() ? Formats.seconds((run.allDoneEpochMillis() - run.firstSubmitEpochMillis()) / 1000.0) : "not all done",
            run.allDone() ? Formats.rate(run.endToEndPerSecond()) : "–", run.failures().isEmpty() ? "none" : run.failures().toString()));
        if (!run.allDone()) {
          section.note(run.system() + " run " + (i + 1) + ": not every job completed within " + BurnDowns.timeout(jobs).toSeconds() + " s");
        }
      }
    }
    section.table(new Section.Table("Runs", List.of("system", "run", "accepted", "accepted/s", "all done after", "end to end",
        "failed requests"), rows));
    double jc = Formats.median(endToEnd(jobcluster));
    double ds = Formats.median(endToEnd(dbScheduler));
    section.table(new Section.Table("Summary (median, range)", List.of("figure", "Jobcluster", "db-scheduler", "Jobcluster / db-scheduler"),
        List.of(
            List.of("accepted/s", Formats.medianAndRange(accepted(jobcluster), Formats::rate),
                Formats.medianAndRange(accepted(dbScheduler), Formats::rate),
                Formats.ratio(Formats.median(accepted(jobcluster)), Formats.median(accepted(dbScheduler)))),
            List.of("end to end, jobs/s", Formats.medianAndRange(endToEnd(jobcluster), Formats::rate),
                Formats.medianAndRange(endToEnd(dbScheduler), Formats::rate), Formats.ratio(jc, ds)))));
    Map<String, List<Plots.Point>> lines = new LinkedHashMap<>();
    for (List<BurnDownRun> runs : List.of(jobcluster, dbScheduler)) {
      for (int i = 0; i < runs.size(); i++) {
        BurnDownRun run = runs.get(i);
        lines.put(run.system() + " run " + (i + 1), Rates.perSecond(run.done(), run.firstSubmitEpochMillis(), 1000));
      }
    }
    Plots.overTime(context.plotFile("a-throughput"), "Burn-down: jobs completed per second (1 s window)", "jobs/s", lines);
    section.plot(new Section.Plot("a: completions per second over time, both systems", BenchContext.plotLink("a-throughput")));
    boolean measured = !Double.isNaN(jc);
    section.target(measured ? new TargetCheck("a", "end to end ≥ 2,000 jobs/s, one node", Formats.rate(jc),
        TargetCheck.Verdict.of(jc >= TARGET_JOBS_PER_SECOND)) : TargetCheck.notMeasured("a", "end to end ≥ 2,000 jobs/s", "not all done"));
    section.target(measured && !Double.isNaN(ds) ? new TargetCheck("a", "end to end ≥ 1.0× db-scheduler (aim 1.5×)",
        Formats.ratio(jc, ds) + " (" + Formats.rate(jc) + " vs " + Formats.rate(ds) + ")", TargetCheck.Verdict.of(jc >= ds))
        : TargetCheck.notMeasured("a", "end to end ≥ 1.0× db-scheduler", "a system did not finish"));
    return section.build();
  }

  private Section databaseCost(String load, List<BurnDownRun> jobcluster, List<BurnDownRun> dbScheduler) {
    Section.Builder section = new Section.Builder("f", "Database commits and rows written per job", load)
        .method("From the burn-down runs of (a): `pg_stat_database.xact_commit` and `tup_inserted + tup_updated + tup_deleted` of "
            + "the system's own database, before the load and after it (the nodes are killed " + BurnDowns.SETTLE.toSeconds()
            + " s after the last completion, db-scheduler stops by itself, and the counters are read once every session has "
            + "ended, since PostgreSQL 15 counts a session's work lazily), divided by the number of jobs; per table from "
            + "`pg_stat_user_tables`. Background work during the run (polling, reconciliation) counts too.")
        .method(DbSchedulerConfig.STANDARD.summary() + ".");
    List<List<String>> rows = new ArrayList<>();
    for (List<BurnDownRun> runs : List.of(jobcluster, dbScheduler)) {
      if (runs.isEmpty()) {
        continue;
      }
      rows.add(List.of(runs.get(0).system(),
          Formats.medianAndRange(runs.stream().map(BurnDownRun::commitsPerJob).toList(), v -> Formats.decimal(v, 2)),
          Formats.medianAndRange(runs.stream().map(BurnDownRun::rowsPerJob).toList(), v -> Formats.decimal(v, 2)),
          Formats.decimal(Formats.median(runs.stream().map(r -> (double) r.db().inserted() / r.jobs()).toList()), 2),
          Formats.decimal(Formats.median(runs.stream().map(r -> (double) r.db().updated() / r.jobs()).toList()), 2),
          Formats.decimal(Formats.median(runs.stream().map(r -> (double) r.db().deleted() / r.jobs()).toList()), 2)));
    }
    double commits = Formats.median(jobcluster.stream().map(BurnDownRun::commitsPerJob).toList());
    double dsCommits = Formats.median(dbScheduler.stream().map(BurnDownRun::commitsPerJob).toList());
    double rows1 = Formats.median(jobcluster.stream().map(BurnDownRun::rowsPerJob).toList());
    double rows2 = Formats.median(dbScheduler.stream().map(BurnDownRun::rowsPerJob).toList());
    rows.add(List.of("Jobcluster / db-scheduler", Formats.ratio(commits, dsCommits), Formats.ratio(rows1, rows2), "", "", ""));
    section.table(new Section.Table("Per job (median, range over the runs)", List.of("system", "commits", "rows written", "inserted",
        "updated", "deleted"), rows));
    section.table(perTable(jobcluster, dbScheduler));
    section.target(new TargetCheck("f", "commits per job: state both; aim ≤ 1.5 for Jobcluster",
        "Jobcluster " + Formats.decimal(commits, 2) + ", db-scheduler " + Formats.decimal(dsCommits, 2), TargetCheck.Verdict.of(commits <= 1.5)));
    return section.build();
  }

  /** Rows written per job and table in each system's first run. */
  private static Section.Table perTable(List<BurnDownRun> jobcluster, List<BurnDownRun> dbScheduler) {
    List<List<String>> rows = new ArrayList<>();
    for (List<BurnDownRun> runs : List.of(jobcluster, dbScheduler)) {
      if (runs.isEmpty()) {
        continue;
      }
      BurnDownRun run = runs.get(0);
      for (String table : new TreeSet<>(run.db().tables().keySet())) {
        DbStats.Rows written = run.db().tables().get(table);
        if (written.written() == 0) {
          continue;
        }
        rows.add(List.of(run.system(), table, Formats.decimal((double) written.inserted() / run.jobs(), 2),
            Formats.decimal((double) written.updated() / run.jobs(), 2), Formats.decimal((double) written.deleted() / run.jobs(), 2)));
      }
    }
    return new Section.Table("Rows per job by table (first run of each system)", List.of("system", "table", "inserted", "updated",
        "deleted"), rows);
  }

  private static List<Double> endToEnd(List<BurnDownRun> runs) {
    return runs.stream().filter(BurnDownRun::allDone).map(BurnDownRun::endToEndPerSecond).toList();
  }

  private static List<Double> accepted(List<BurnDownRun> runs) {
    return runs.stream().map(BurnDownRun::acceptedPerSecond).toList();
  }
}
