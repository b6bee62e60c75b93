package io.jobcluster.bench.report;

import java.util.List;
import java.util.Locale;

/** How figures read in the report: thousands separated, milliseconds with sensible decimals. */
public final class Formats {
  private Formats() {}

  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A rate such as "1,234/s". */
  public static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f/s", perSecond);
  }

  /** Microseconds as milliseconds: three significant figures below 10 ms, whole ones above. */
  public static String millis(double micros) {
    double ms = micros / 1000.0;
    if (ms < 1) {
      return String.format(Locale.ROOT, "%.3f ms", ms);
    }
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.2f ms", ms);
    }
    if (ms < 100) {
      return String.format(Locale.ROOT, "%.1f ms", ms);
    }
    return String.format(Locale.ROOT, "%,.0f ms", ms);
  }

  public static String seconds(double seconds) {
    return String.format(Locale.ROOT, "%.1f s", seconds);
  }

  public static String decimal(double value, int places) {
    return String.format(Locale.ROOT, "%,." + places + "f", value);
  }

  /** Jobcluster's figure over db-scheduler's, "1.23×"; "–" when either is missing. */
  public static String ratio(double jobcluster, double dbScheduler) {
    if (!(jobcluster > 0) || !(dbScheduler > 0)) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f×", jobcluster / dbScheduler);
  }

  /** The median of some values and their range: "1,234/s (1,100–1,300)". */
  public static String medianAndRange(List<Double> values, java.util.function.DoubleFunction<String> format) {
    if (values.isEmpty()) {
      return "–";
    }
    List<Double> sorted = values.stream().sorted().toList();
    String median = format.apply(median(sorted));
    return sorted.size() == 1 ? median
        : median + " (" + format.apply(sorted.get(0)) + " – " + format.apply(sorted.get(sorted.size() - 1)) + ")";
  }

  /** The median of values; the mean of the middle two for an even count. */
  public static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}
