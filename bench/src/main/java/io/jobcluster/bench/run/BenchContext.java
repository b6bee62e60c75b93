package io.jobcluster.bench.run;

import io.jobcluster.bench.BenchOptions;
import io.jobcluster.bench.Sizes;
import io.jobcluster.bench.dbscheduler.DbSchedulerMain;
import io.jobcluster.bench.dbscheduler.DbSchedulerTask;
import io.jobcluster.bench.load.LoadMain;
import io.jobcluster.bench.load.LoadTask;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every scenario works with: the sizes, the PostgreSQL server, the child JVMs (load
 * generator, db-scheduler), where plots and raw numbers go, and a progress line printer.
 */
public final class BenchContext {
  /** The load generator's JVM; its heap holds the schedule, ids and histograms of up to a million jobs. */
  public static final List<String> LOAD_JVM_OPTIONS = List.of("-Xms512m", "-Xmx1g");
  /** db-scheduler's JVM (scheduler and its submitters): the node's heap, for a like comparison. */
  public static final List<String> DB_SCHEDULER_JVM_OPTIONS = JobclusterRig.NODE_JVM_OPTIONS;

  private final BenchOptions options;
  private final BenchPostgres postgres;
  private final ChildJvm children;
  private final PrintStream console;
  private final Map<String, Object> raw = new TreeMap<>();

  public BenchContext(BenchOptions options, BenchPostgres postgres, PrintStream console) {
    this.options = options;
    this.postgres = postgres;
    this.children = new ChildJvm(options.work().resolve("jvms"));
    this.console = console;
  }

  public Sizes sizes() {
    return options.sizes();
  }

  public BenchOptions options() {
    return options;
  }

  public BenchPostgres postgres() {
    return postgres;
  }

  /** Where a plot named {@code name} goes, and the path the report links it by. */
  public Path plotFile(String name) {
    return options.out().resolve(plotLink(name));
  }

  public static String plotLink(String name) {
    return "performance/" + name + ".png";
  }

  /** Keeps raw numbers for {@code performance/results.json}. */
  public synchronized void raw(String key, Object value) {
    raw.put(key, value);
  }

  public synchronized Map<String, Object> raw() {
    return Map.copyOf(raw);
  }

  /** Runs a task in the load generator's JVM. */
  public <R> R load(String name, LoadTask task, Class<R> resultType, Duration timeout) {
    return children.run(name, LoadMain.class, LOAD_JVM_OPTIONS, task, resultType, timeout);
  }

  /** Runs a task in db-scheduler's JVM. */
  public <R> R dbScheduler(String name, DbSchedulerTask task, Class<R> resultType, Duration timeout) {
    return children.run(name, DbSchedulerMain.class, DB_SCHEDULER_JVM_OPTIONS, task, resultType, timeout);
  }

  /** A progress line on the console (the bench is a command-line program; the report is the record). */
  public void say(String line) {
    console.println(LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "  " + line);
    console.flush();
  }
}
