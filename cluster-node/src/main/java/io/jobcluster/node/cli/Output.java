package io.jobcluster.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobcluster.node.json.NodeJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a command prints: JSON with {@code --json} (the node's own mapper, so the shapes are the API's),
 * else aligned tables and field lists. Results go to standard output, notes and errors to standard error.
 */
final class Output {
  private static final String GAP = "  ";

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;

  Output(PrintWriter out, PrintWriter err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  PrintWriter out() {
    return out;
  }

  /** One JSON document on one line. */
  void printJson(Object value) {
    try {
      out.println(NodeJson.mapper().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
    out.flush();
  }

  /** {@code json} with {@code --json}, else what {@code human} prints. */
  void print(Object json, Runnable human) {
    if (this.json) {
      printJson(json);
    } else {
      human.run();
    }
  }

  /** Columns padded to their widest cell; an empty table prints its header and "(none)". */
  void printTable(List<String> headers, List<List<String>> rows) {
    List<Integer> widths = new ArrayList<>();
    for (int column = 0; column < headers.size(); column++) {
      int width = headers.get(column).length();
      for (List<String> row : rows) {
        width = Math.max(width, cell(row, column).length());
      }
      widths.add(width);
    }
    out.println(line(headers, widths));
    rows.forEach(row -> out.println(line(row, widths)));
    if (rows.isEmpty()) {
      out.println("(none)");
    }
    out.flush();
  }

  /** "name: value" lines, names aligned; null values are left out. */
  void printFields(Map<String, ?> fields) {
    int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
    fields.forEach((name, value) -> {
      if (value != null) {
        out.println(String.format("%-" + width + "s %s", name + ":", value));
      }
    });
    out.flush();
  }

  void println(String text) {
    out.println(text);
    out.flush();
  }

  /** A remark for the person at the terminal, on standard error so that it never mixes with results. */
  void note(String text) {
    err.println(text);
    err.flush();
  }

  private static String line(List<String> cells, List<Integer> widths) {
    StringBuilder line = new StringBuilder();
    for (int column = 0; column < widths.size(); column++) {
      String cell = cell(cells, column);
      line.append(column == widths.size() - 1 ? cell : String.format("%-" + widths.get(column) + "s", cell) + GAP);
    }
    return line.toString().stripTrailing();
  }

  private static String cell(List<String> row, int column) {
    String value = column < row.size() ? row.get(column) : null;
    return value == null ? "-" : value;
  }
}
