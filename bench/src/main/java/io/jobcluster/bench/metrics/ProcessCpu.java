package io.jobcluster.bench.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * CPU time of processes from {@code /proc/<pid>/stat} (Linux): user plus system time, in seconds.
 * A process tree counts its root's reaped children too ({@code cutime + cstime}): PostgreSQL's
 * backends come and go, and the postmaster reaps them, so their time is not lost when they exit.
 */
public final class ProcessCpu {
  /** Clock ticks per second of the stat file's times; 100 on Linux x86 ({@code getconf CLK_TCK}). */
  static final double TICKS_PER_SECOND = 100.0;

  private ProcessCpu() {}

  /** Seconds of CPU the process used so far; empty once it is gone (or off Linux). */
  public static OptionalDouble seconds(long pid) {
    return read(pid).map(stat -> ticks(stat, false) / TICKS_PER_SECOND).map(OptionalDouble::of).orElse(OptionalDouble.empty());
  }

  /** Seconds of CPU of a process, its reaped children and its live descendants; empty if the root is gone. */
  public static OptionalDouble treeSeconds(long rootPid) {
    Optional<String> root = read(rootPid);
    if (root.isEmpty()) {
      return OptionalDouble.empty();
    }
    double ticks = ticks(root.get(), true);
    ticks += ProcessHandle.of(rootPid).stream().flatMap(ProcessHandle::descendants)
        .mapToDouble(child -> read(child.pid()).map(stat -> ticks(stat, false)).orElse(0.0)).sum();
    return OptionalDouble.of(ticks / TICKS_PER_SECOND);
  }

  /**
   * User and system ticks from one stat line, with the reaped children's if asked. The command
   * name (second field) is in parentheses and may hold spaces, so fields are counted after its
   * last ')': state is the first there, utime the 12th, stime, cutime and cstime follow.
   */
  static double ticks(String stat, boolean withReapedChildren) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    double ticks = Double.parseDouble(fields[11]) + Double.parseDouble(fields[12]);
    if (withReapedChildren) {
      ticks += Double.parseDouble(fields[13]) + Double.parseDouble(fields[14]);
    }
    return ticks;
  }

  private static Optional<String> read(long pid) {
    try {
      return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
