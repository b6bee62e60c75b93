package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test evaluator of the autoscaling queries reads what the recipe uses and refuses the rest. */
class PromQueryTest {
  private static final String NODE = """
      # HELP jobcluster_queue_jobs Jobs per queue and active status (read model)
      # TYPE jobcluster_queue_jobs gauge
      jobcluster_queue_jobs{queue="a",status="PENDING"} 3.0
      jobcluster_queue_jobs{queue="a",status="RUNNING"} 2.0
      jobcluster_queue_jobs{queue="b",status="PENDING"} 1.0
      jobcluster_worker_slots{queue="a"} 4.0
      up 1
      """;

  private static List<PromQuery.Sample> twoNodes() {
    List<PromQuery.Sample> series = new ArrayList<>(PromQuery.parse(NODE, "n1"));
    series.addAll(PromQuery.parse(NODE, "n2"));
    return series;
  }

  @Test
  void selectorsMatchersAndAggregationsByLabel() {
    List<PromQuery.Sample> series = twoNodes();
    assertEquals(5, PromQuery.single("sum(max by (status) (jobcluster_queue_jobs{queue=\"a\",status=~\"PENDING|RUNNING\"}))", series));
    assertEquals(10, PromQuery.single("sum(jobcluster_queue_jobs{queue=\"a\"})", series));
    assertEquals(8, PromQuery.single("sum by (queue) (jobcluster_worker_slots)", series));
    assertEquals(2, PromQuery.single("count(jobcluster_queue_jobs{queue!=\"a\"})", series));
    assertEquals(1, PromQuery.single("min(jobcluster_queue_jobs{status!~\"RUN.*\"})", series));
    assertEquals(2, PromQuery.evaluate("max by (queue) (jobcluster_queue_jobs)", series).size());
    assertEquals(2, PromQuery.evaluate("up", series).size());
  }

  @Test
  void whatItCannotReadFailsInsteadOfPassingUnread() {
    List<PromQuery.Sample> series = twoNodes();
    assertThrows(IllegalArgumentException.class, () -> PromQuery.evaluate("rate(up[5m])", series));
    assertThrows(IllegalArgumentException.class, () -> PromQuery.evaluate("sum(up) / 2", series));
    assertThrows(IllegalArgumentException.class, () -> PromQuery.evaluate("up{queue~\"a\"}", series));
    assertThrows(IllegalStateException.class, () -> PromQuery.single("jobcluster_queue_jobs", series));
    assertThrows(IllegalArgumentException.class, () -> PromQuery.parse("not a sample", "n1"));
  }
}
