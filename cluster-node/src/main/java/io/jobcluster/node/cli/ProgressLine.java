package io.jobcluster.node.cli;

import java.io.PrintWriter;
import java.util.Objects;

/**
 * A status line that follows something. On a terminal it is redrawn in place (carriage return and
 * erase-line) at every read, ticking part included; elsewhere (a pipe, a file, a log) a plain line is
 * printed only when its stable part changes, so the output stays readable and small.
 */
final class ProgressLine {
  /** Back to the start of the line, then erase it (ANSI EL). */
  static final String REDRAW = "\r\u001b[2K";

  private final PrintWriter out;
  private final boolean terminal;
  private String lastStable;
  private boolean drawn;

  ProgressLine(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Shows {@code stable} (what changed matters) followed on a terminal by {@code ticking} (an elapsed time, say). */
  synchronized void show(String stable, String ticking) {
    if (terminal) {
      out.print(REDRAW + stable + (ticking == null ? "" : "  " + ticking));
      drawn = true;
    } else if (!Objects.equals(stable, lastStable)) {
      out.println(stable);
    }
    lastStable = stable;
    out.flush();
  }

  /** Ends a line drawn in place, so that what follows starts on a line of its own; from the watch or a shutdown hook. */
  synchronized void finish() {
    if (terminal && drawn) {
      out.println();
      out.flush();
      drawn = false;
    }
  }
}
