package io.jobcluster.bench.scenario;

import io.jobcluster.bench.load.HistogramCodec;
import io.jobcluster.bench.load.OpenLoopResult;
import io.jobcluster.bench.report.Formats;
import io.jobcluster.bench.report.Percentiles;
import java.util.List;
import org.HdrHistogram.Histogram;

/** The latency table rows of the open-loop scenarios (c, d): one row per rate and system. */
final class LatencyRows {
  static final List<String> HEADER = List.of("rate", "system", "p50", "p99", "p99.9", "max", "measured", "failures",
      "sender behind schedule (max)");

  private LatencyRows() {}

  static List<String> row(String system, OpenLoopResult result, Histogram histogram, String measured) {
    Percentiles p = Percentiles.of(histogram);
    return List.of(Formats.rate(result.jobsPerSecond()), system, Percentiles.cell(p.p50()), Percentiles.cell(p.p99()),
        Percentiles.cell(p.p999()), Percentiles.cell(p.max()), measured,
        result.failures().isEmpty() ? "none" : result.failures().toString(), Formats.millis(result.maxSendLagMicros()));
  }

  static Histogram requests(OpenLoopResult result) {
    return HistogramCodec.decode(result.requestLatency());
  }

  /** Start latencies; an empty histogram when the run measured none. */
  static Histogram starts(OpenLoopResult result) {
    return result.startLatency() == null ? new Histogram(3) : HistogramCodec.decode(result.startLatency());
  }
}
