package io.jobcluster.node.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the part of PromQL the autoscaling recipe uses (deploy/k8s/autoscaling) against scraped
 * Prometheus text: instant selectors with {@code =, !=, =~, !~} matchers and the aggregations
 * {@code sum, max, min, count} with an optional {@code by (...)}. Anything else is refused, so a
 * recipe query this cannot read fails the test instead of passing unread.
 */
final class PromQuery {
  /** One series: its labels (the metric name under {@code __name__}) and its value. */
  record Sample(Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  /** One label matcher of a selector: label, operator, value. */
  static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");
  private static final Map<String, DoubleBinaryOperator> AGGREGATIONS = Map.of(
      "sum", Double::sum, "max", Math::max, "min", Math::min, "count", (a, b) -> a + 1);

  private final String query;
  private int at;

  private PromQuery(String query) {
    this.query = query;
  }

  /** The series of one scrape, each with an {@code instance} label as Prometheus adds it. */
  static List<Sample> parse(String exposition, String instance) {
    List<Sample> samples = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new TreeMap<>();
      labels.put("__name__", m.group(1));
      labels.put("instance", instance);
      if (m.group(2) != null) {
        Matcher label = LABEL.matcher(m.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.add(new Sample(labels, Double.parseDouble(m.group(3))));
    }
    return samples;
  }

  /** Evaluates {@code query} over {@code series}. */
  static List<Sample> evaluate(String query, List<Sample> series) {
    PromQuery parser = new PromQuery(query);
    List<Sample> result = parser.expression(series);
    parser.skipSpaces();
    if (parser.at != query.length()) {
      throw new IllegalArgumentException("cannot read the query past " + parser.at + ": " + query);
    }
    return result;
  }

  /** The one value of a query whose answer is a single series. */
  static double single(String query, List<Sample> series) {
    List<Sample> result = evaluate(query, series);
    if (result.size() != 1) {
      throw new IllegalStateException(query + " gave " + result.size() + " series: " + result);
    }
    return result.get(0).value();
  }

  private List<Sample> expression(List<Sample> series) {
    skipSpaces();
    String word = word();
    skipSpaces();
    if (AGGREGATIONS.containsKey(word) && (peek('(') || query.startsWith("by", at))) {
      List<String> by = List.of();
      if (query.startsWith("by", at)) {
        at += 2;
        by = labelList();
      }
      expect('(');
      List<Sample> inner = expression(series);
      skipSpaces();
      expect(')');
      return aggregate(AGGREGATIONS.get(word), word.equals("count"), by, inner);
    }
    return select(word, series);
  }

  private List<Sample> select(String name, List<Sample> series) {
    List<String[]> matchers = new ArrayList<>();
    matchers.add(new String[] {"__name__", "=", name});
    if (peek('{')) {
      at++;
      while (!peek('}')) {
        Matcher m = MATCHER.matcher(query).region(at, query.length());
        if (!m.lookingAt()) {
          throw new IllegalArgumentException("cannot read a label matcher at " + at + ": " + query);
        }
        matchers.add(new String[] {m.group(1), m.group(2), m.group(3)});
        at = m.end();
        skipSpaces();
      }
      at++;
    }
    return series.stream().filter(sample -> matchers.stream().allMatch(matcher -> matches(sample, matcher))).toList();
  }

  private static boolean matches(Sample sample, String[] matcher) {
    String value = sample.labels().getOrDefault(matcher[0], "");
    return switch (matcher[1]) {
      case "=" -> value.equals(matcher[2]);
      case "!=" -> !value.equals(matcher[2]);
      case "=~" -> value.matches(matcher[2]);
      default -> !value.matches(matcher[2]);
    };
  }

  private static List<Sample> aggregate(DoubleBinaryOperator op, boolean count, List<String> by, List<Sample> inner) {
    Map<Map<String, String>, Double> groups = new LinkedHashMap<>();
    for (Sample sample : inner) {
      Map<String, String> key = new TreeMap<>();
      by.forEach(label -> {
        if (sample.labels().containsKey(label)) {
          key.put(label, sample.labels().get(label));
        }
      });
      groups.merge(key, count ? 1 : sample.value(), (a, b) -> op.applyAsDouble(a, count ? 0 : b));
    }
    List<Sample> result = new ArrayList<>();
    groups.forEach((labels, value) -> result.add(new Sample(new HashMap<>(labels), value)));
    return result;
  }

  private List<String> labelList() {
    skipSpaces();
    expect('(');
    int close = query.indexOf(')', at);
    List<String> labels = List.of(query.substring(at, close).split("\\s*,\\s*")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    at = close + 1;
    skipSpaces();
    return labels;
  }

  private String word() {
    int start = at;
    while (at < query.length() && (Character.isLetterOrDigit(query.charAt(at)) || query.charAt(at) == '_' || query.charAt(at) == ':')) {
      at++;
    }
    if (start == at) {
      throw new IllegalArgumentException("expected a name at " + at + ": " + query);
    }
    return query.substring(start, at);
  }

  private boolean peek(char c) {
    return at < query.length() && query.charAt(at) == c;
  }

  private void expect(char c) {
    skipSpaces();
    if (!peek(c)) {
      throw new IllegalArgumentException("expected '" + c + "' at " + at + ": " + query);
    }
    at++;
  }

  private void skipSpaces() {
    while (at < query.length() && Character.isWhitespace(query.charAt(at))) {
      at++;
    }
  }
}
