package io.jobcluster.bench.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads samples out of the Prometheus text exposition format, as {@code GET /metrics} serves it:
 * {@code name{label="value",...} number [timestamp]}, with {@code #} lines for help and type.
 */
public final class PrometheusText {
  private PrometheusText() {}

  /** The sum of every sample of {@code metric} over its label sets; 0 when it has none yet. */
  public static double sum(String text, String metric) {
    return samples(text, metric).values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Every sample of {@code metric} (exactly that name, not its _bucket or _sum), by its label text. */
  public static Map<String, Double> samples(String text, String metric) {
    Map<String, Double> found = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.startsWith(metric)) {
        continue;
      }
      int nameEnd = trimmed.length();
      for (int i = 0; i < trimmed.length(); i++) {
        char c = trimmed.charAt(i);
        if (c == '{' || c == ' ' || c == '\t') {
          nameEnd = i;
          break;
        }
      }
      if (!trimmed.substring(0, nameEnd).equals(metric)) {
        continue;
      }
      int valueStart = nameEnd;
      String labels = "";
      if (nameEnd < trimmed.length() && trimmed.charAt(nameEnd) == '{') {
        int close = labelsEnd(trimmed, nameEnd);
        labels = trimmed.substring(nameEnd + 1, close);
        valueStart = close + 1;
      }
      String[] rest = trimmed.substring(valueStart).strip().split("\\s+");
      found.merge(labels, parse(rest[0], line), Double::sum);
    }
    return found;
  }

  /** The index of the brace closing the labels; a quoted value may hold braces and escaped quotes. */
  private static int labelsEnd(String line, int open) {
    boolean quoted = false;
    for (int i = open + 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '}' && !quoted) {
        return i;
      }
    }
    throw new IllegalArgumentException("unclosed labels in: " + line);
  }

  private static double parse(String value, String line) {
    switch (value) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a sample value in: " + line, e);
        }
    }
  }
}
