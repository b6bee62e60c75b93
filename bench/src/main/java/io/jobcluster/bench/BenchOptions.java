package io.jobcluster.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line: {@code [--quick] [--only a,c,...] [--out DIR] [--work DIR]}. The report goes to
 * {@code <out>/PERFORMANCE.md}, plots and raw numbers to {@code <out>/performance/}; child JVMs'
 * files and node logs to {@code <work>}.
 */
public record BenchOptions(boolean quick, Set<String> only, Path out, Path work, List<String> arguments, Sizes sizes) {
  public static final Set<String> SCENARIOS = Set.of("a", "b", "c", "d", "e", "f", "g", "h", "i");
  public static final String USAGE = "usage: bash bench/run.sh [--quick] [--only a,b,...] [--out DIR] (scenarios a-i; default all, "
      + "out docs/)";

  public BenchOptions {
    only = Set.copyOf(only);
    arguments = List.copyOf(arguments);
  }

  public static BenchOptions parse(String... args) {
    boolean quick = false;
    Set<String> only = new LinkedHashSet<>(SCENARIOS);
    Path out = Path.of("docs");
    Path work = Path.of("bench", "target", "bench-work");
    List<String> list = List.of(args);
    for (int i = 0; i < list.size(); i++) {
      switch (list.get(i)) {
        case "--quick" -> quick = true;
        case "--only" -> only = scenarios(value(list, ++i, "--only"));
        case "--out" -> out = Path.of(value(list, ++i, "--out"));
        case "--work" -> work = Path.of(value(list, ++i, "--work"));
        default -> throw new IllegalArgumentException("unknown argument " + list.get(i) + "; " + USAGE);
      }
    }
    return new BenchOptions(quick, only, out, work, new ArrayList<>(list), quick ? Sizes.QUICK : Sizes.FULL);
  }

  /** The same run at other sizes (the smoke test's). */
  public BenchOptions withSizes(Sizes other) {
    return new BenchOptions(quick, only, out, work, arguments, other);
  }

  /** Whether any of the given scenarios was asked for. */
  public boolean runs(String... ids) {
    for (String id : ids) {
      if (only.contains(id)) {
        return true;
      }
    }
    return false;
  }

  /** The command as the report prints it. */
  public String command() {
    return ("bash bench/run.sh " + String.join(" ", arguments)).trim();
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value; " + USAGE);
    }
    return args.get(i);
  }

  private static Set<String> scenarios(String value) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String id : value.split(",")) {
      String trimmed = id.trim().toLowerCase();
      if (!SCENARIOS.contains(trimmed)) {
        throw new IllegalArgumentException("no scenario " + id + "; " + USAGE);
      }
      chosen.add(trimmed);
    }
    return chosen;
  }
}
