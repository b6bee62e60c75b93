package io.jobcluster.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG plots, drawn with XChart. */
public final class Plots {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;
  /** The percentile axis ends at 99.999 %: beyond it a run of 30 s at 250/s has no samples. */
  private static final double LAST_PERCENTILE = 99.999;

  private Plots() {}

  /** A point of a line: x and y. */
  public record Point(double x, double y) {}

  /**
   * Latency by percentile, one line per series, as HdrHistogram's plots draw it: the percentile
   * axis is logarithmic in 1 / (1 - p), so 90 %, 99 %, 99.9 % ... are equally spaced and the tail
   * gets the room it deserves.
   */
  public static void percentiles(Path file, String title, Map<String, Histogram> series) {
    XYChart chart = chart(title, "percentile", "latency (ms)");
    // x is log10(1 / (1 - p)) on a linear axis: XChart drops its logarithmic axis once tick labels are custom.
    chart.setCustomXAxisTickLabelsFormatter(Plots::percentileLabel);
    series.forEach((name, histogram) -> {
      List<Point> points = percentilePoints(histogram);
      if (!points.isEmpty()) {
        add(chart, name, points);
      }
    });
    save(chart, file);
  }

  /** Lines over time: x in seconds from the run's start. */
  public static void overTime(Path file, String title, String yTitle, Map<String, List<Point>> series) {
    XYChart chart = chart(title, "seconds since the first submission", yTitle);
    series.forEach((name, points) -> {
      if (!points.isEmpty()) {
        add(chart, name, points);
      }
    });
    save(chart, file);
  }

  /** The histogram's latency curve as (log10(1 / (1 - p)), milliseconds) points up to {@link #LAST_PERCENTILE}. */
  static List<Point> percentilePoints(Histogram histogram) {
    List<Point> points = new ArrayList<>();
    if (histogram.getTotalCount() == 0) {
      return points;
    }
    for (HistogramIterationValue value : histogram.percentiles(5)) {
      double percentile = value.getPercentileLevelIteratedTo();
      if (percentile > LAST_PERCENTILE) {
        break;
      }
      points.add(new Point(Math.log10(1 / (1 - percentile / 100)), value.getValueIteratedTo() / 1000.0));
    }
    return points;
  }

  /** Whole decades only: 0 → "0%", 1 → "90%", 2 → "99%", 3 → "99.9%"; ticks between them stay unlabelled. */
  static String percentileLabel(double log10Inverse) {
    long decade = Math.round(log10Inverse);
    if (Math.abs(log10Inverse - decade) > 1e-6 || decade < 0) {
      return "";
    }
    double percentile = 100 * (1 - Math.pow(10, -decade));
    String text = String.format(Locale.ROOT, "%.5f", percentile).replaceAll("0+$", "").replaceAll("\\.$", "");
    return text + "%";
  }

  private static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW).setMarkerSize(0);
    chart.getStyler().setYAxisMin(0.0);
    return chart;
  }

  private static void add(XYChart chart, String name, List<Point> points) {
    XYSeries line = chart.addSeries(name, points.stream().map(Point::x).toList(), points.stream().map(Point::y).toList());
    line.setMarker(SeriesMarkers.NONE);
  }

  private static void save(XYChart chart, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
