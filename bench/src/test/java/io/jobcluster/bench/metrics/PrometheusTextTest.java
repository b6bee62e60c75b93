package io.jobcluster.bench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Reading the nodes' metrics, and the counters they give over time. */
class PrometheusTextTest {
  private static final String SCRAPE = """
      # HELP jobcluster_jobs_completed_total Jobs that ended COMPLETED
      # TYPE jobcluster_jobs_completed_total counter
      jobcluster_jobs_completed_total{queue="default",type="noop"} 1200
      jobcluster_jobs_completed_total{queue="media",type="say \\"}\\" twice"} 34.0 1700000000000
      jobcluster_jobs_completed_total_created{queue="default"} 1.7e9
      jobcluster_jobs_submitted_total 1250
      jobcluster_dispatch_latency_seconds_bucket{queue="default",le="+Inf"} 12
      jobcluster_queue_jobs{queue="default",status="PENDING"} NaN
      """;

  @Test
  void sumsAMetricOverItsLabelSetsAndNothingElse() {
    assertEquals(1234, PrometheusText.sum(SCRAPE, "jobcluster_jobs_completed_total"));
    assertEquals(1250, PrometheusText.sum(SCRAPE, "jobcluster_jobs_submitted_total"));
    assertEquals(0, PrometheusText.sum(SCRAPE, "jobcluster_jobs_failed_total"), "a metric with no sample yet counts 0");
    assertEquals(2, PrometheusText.samples(SCRAPE, "jobcluster_jobs_completed_total").size());
    assertTrue(PrometheusText.samples(SCRAPE, "jobcluster_jobs_completed_total").containsKey("queue=\"media\",type=\"say \\\"}\\\" twice\""));
  }

  @Test
  void readsSpecialValuesAndRefusesGarbage() {
    assertEquals(Double.POSITIVE_INFINITY, PrometheusText.sum("m +Inf", "m"));
    assertEquals(Double.NEGATIVE_INFINITY, PrometheusText.sum("m -Inf", "m"));
    assertTrue(Double.isNaN(PrometheusText.sum(SCRAPE, "jobcluster_queue_jobs")));
    assertThrows(IllegalArgumentException.class, () -> PrometheusText.sum("m{a=\"b\" 1", "m"));
    assertThrows(IllegalArgumentException.class, () -> PrometheusText.sum("m one", "m"));
  }

  @Test
  void aCounterReachesItsTargetBetweenReadings() {
    List<NodeCounts> readings = List.of(new NodeCounts(1_000, 100, 0), new NodeCounts(1_250, 100, 40), new NodeCounts(1_500, 100, 100));
    assertEquals(OptionalLong.of(1_375), NodeCounts.reached(readings, NodeCounts::completed, 70), "halfway from 40 to 100");
    assertEquals(OptionalLong.of(1_000), NodeCounts.reached(readings, NodeCounts::submitted, 100), "already there at the first reading");
    assertEquals(OptionalLong.empty(), NodeCounts.reached(readings, NodeCounts::completed, 101));
    assertEquals(20.0, NodeCounts.at(readings, NodeCounts::completed, 1_125));
    assertEquals(0.0, NodeCounts.at(readings, NodeCounts::completed, 500));
    assertEquals(100.0, NodeCounts.at(readings, NodeCounts::completed, 9_000));
    assertEquals(60, readings.get(1).backlog());
    assertEquals(new NodeCounts(1_500, 0, 60), readings.get(2).minus(readings.get(1)));
    assertThrows(IllegalArgumentException.class, () -> NodeCounts.at(List.of(), NodeCounts::completed, 0));
  }
}
