package io.jobcluster.bench;

import io.jobcluster.bench.dbscheduler.DbSchedulerConfig;
import io.jobcluster.bench.load.OpenLoopLoad;
import io.jobcluster.bench.metrics.MachineInfo;
import io.jobcluster.bench.report.MarkdownReport;
import io.jobcluster.bench.report.Report;
import io.jobcluster.bench.report.Section;
import io.jobcluster.bench.report.TargetCheck;
import io.jobcluster.bench.run.BenchContext;
import io.jobcluster.bench.run.BenchPostgres;
import io.jobcluster.bench.run.JobclusterRig;
import io.jobcluster.bench.scenario.Scenario;
import io.jobcluster.bench.scenario.Scenarios;
import io.jobcluster.multijvm.TestLogs;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the chosen scenarios against one throwaway PostgreSQL and writes the report, its plots and
 * the raw numbers. A scenario that fails is reported as failed and the others still run.
 */
public final class Orchestrator {
  public static final String REPORT = "PERFORMANCE.md";

  private final BenchOptions options;
  private final PrintStream console;

  public Orchestrator(BenchOptions options, PrintStream console) {
    this.options = options;
    this.console = console;
  }

  /** Runs everything; returns the report file. */
  public Path run() {
    // Node logs under the work directory, not the source tree.
    System.setProperty(TestLogs.PROPERTY, options.work().resolve("node-logs").toAbsolutePath().toString());
    String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    Map<String, String> machine = MachineInfo.describe();
    try (BenchPostgres postgres = BenchPostgres.start()) {
      BenchContext context = new BenchContext(options, postgres, console);
      context.say("PostgreSQL " + postgres.settings().get("server_version") + " started; scenarios " + new java.util.TreeSet<>(options.only())
          + (options.quick() ? " (quick sizes)" : ""));
      List<Section> sections = new ArrayList<>();
      for (Scenario scenario : Scenarios.chosen(options)) {
        sections.addAll(runOne(context, scenario));
      }
      sections.sort(java.util.Comparator.comparing(Section::id));
      machine.put("PostgreSQL", postgres.settings().get("server_version") + " (the bench's own server on 127.0.0.1)");
      Report report = new Report(options.command(), started, machine, configuration(postgres), sections);
      return write(report, context.raw());
    }
  }

  private List<Section> runOne(BenchContext context, Scenario scenario) {
    context.say("scenario " + String.join("+", scenario.ids()) + ": " + scenario.title());
    String load = MachineInfo.loadAverage();
    try {
      return scenario.run(context);
    } catch (RuntimeException | AssertionError e) {
      context.say("scenario " + String.join("+", scenario.ids()) + " failed: " + e);
      List<Section> failed = new ArrayList<>();
      for (String id : scenario.ids()) {
        if (options.runs(id)) {
          failed.add(new Section.Builder(id, scenario.title(), load)
              .note("FAILED: " + e.toString().lines().findFirst().orElse("") + " (the console and " + options.work() + " have details)")
              .target(TargetCheck.notMeasured(id, "(every target of this scenario)", "scenario failed")).build());
        }
      }
      return failed;
    }
  }

  private Map<String, Map<String, String>> configuration(BenchPostgres postgres) {
    Map<String, Map<String, String>> configuration = new LinkedHashMap<>();
    Map<String, String> jobcluster = new LinkedHashMap<>();
    jobcluster.put("node", "cluster-node/target/jobcluster-node.jar, one JVM per node, started by the multi-JVM harness");
    jobcluster.put("node JVM options", String.join(" ", JobclusterRig.NODE_JVM_OPTIONS));
    jobcluster.put("environment", "as below; scenarios add their own where they say so");
    JobclusterRig.reportedEnv(Map.of()).forEach((name, value) -> jobcluster.put("`" + name + "`", value));
    jobcluster.put("tenant", "one tenant key with scopes submit, read, issued through `POST /v1/admin/keys`");
    configuration.put("Jobcluster", jobcluster);
    configuration.put("db-scheduler", DbSchedulerConfig.STANDARD.describe());
    Map<String, String> db = new LinkedHashMap<>(postgres.settings());
    db.put("pg_stat_statements", postgres.statementStats() ? "loaded (top statements per run in performance/results.json)" : "not available");
    configuration.put("PostgreSQL", db);
    Map<String, String> load = new LinkedHashMap<>();
    load.put("where", "its own JVM (" + String.join(" ", BenchContext.LOAD_JVM_OPTIONS) + ") on the same machine; db-scheduler's "
        + "submitters run inside db-scheduler's JVM (" + String.join(" ", BenchContext.DB_SCHEDULER_JVM_OPTIONS) + "), as a library's user runs them");
    load.put("client", "io.jobcluster.protocol.client.JobclusterClient (java.net.http, HTTP/1.1; submitAsync/submitBatchAsync for open loops)");
    load.put("open loop", "requests due on a fixed schedule, sent without waiting for earlier answers; latency from the due time "
        + "(coordinated omission corrected), recorded in HdrHistogram; at most " + OpenLoopLoad.MAX_IN_FLIGHT + " requests unanswered "
        + "at once (a request due beyond that waits, its latency still counted from its due time: the 'sender behind schedule' "
        + "column), so that a stalled node is not flooded with new connections");
    load.put("completion", "each node's `GET /metrics` every 250 ms, `jobcluster_jobs_completed_total` summed (never `/v1/stats`)");
    configuration.put("Load generator", load);
    return configuration;
  }

  private Path write(Report report, Map<String, Object> raw) {
    Path file = options.out().resolve(REPORT);
    try {
      Files.createDirectories(options.out());
      Files.writeString(file, MarkdownReport.render(report), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("command", report.command());
    all.put("generatedAt", report.generatedAt());
    all.put("machine", report.machine());
    all.put("targets", report.targets());
    all.put("scenarios", raw);
    BenchJson.write(options.out().resolve("performance").resolve("results.json"), all);
    return file;
  }
}
