package io.jobcluster.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.bench.metrics.NodeCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** Finding the sustainable rate, and the rule that says whether a rate was sustained. */
class RateSearchTest {
  /** Runs the search against a system that holds exactly the rates {@code holds} accepts; the rates probed. */
  private static List<Integer> search(int first, int maxProbes, IntPredicate holds, RateSearch[] last) {
    List<Integer> probed = new ArrayList<>();
    RateSearch search = RateSearch.startingAt(first, maxProbes);
    while (!search.done()) {
      probed.add(search.next());
      search = search.after(holds.test(search.next()));
    }
    last[0] = search;
    return probed;
  }

  @Test
  void doublesWhileProbesHoldThenBisects() {
    RateSearch[] result = new RateSearch[1];
    List<Integer> probed = search(500, 10, rate -> rate <= 2_600, result);
    assertEquals(List.of(500, 1_000, 2_000, 4_000, 3_000, 2_500, 2_750), probed.subList(0, 7));
    assertTrue(result[0].held() <= 2_600 && result[0].held() >= 2_500, "found " + result[0].held());
    assertTrue(result[0].failed() <= result[0].held() * (1 + RateSearch.PRECISION));
  }

  @Test
  void halvesWhenTheFirstProbeFailsAndStopsAtTheProbeBudget() {
    RateSearch[] result = new RateSearch[1];
    assertEquals(List.of(500, 250, 125), search(500, 3, rate -> rate <= 130, result));
    assertEquals(125, result[0].held());
    assertEquals(3, result[0].probes());
  }

  @Test
  void givesUpBelowTheSmallestRate() {
    RateSearch[] result = new RateSearch[1];
    search(100, 20, rate -> false, result);
    assertEquals(0, result[0].held());
    assertTrue(result[0].next() < RateSearch.MIN_RATE);
  }

  @Test
  void aRateHoldsWhenTheBacklogStaysFlatAndDrains() {
    // 10 s at 100/s: accepted rises steadily, completions follow 1 s behind, all done 0.5 s after the load.
    List<NodeCounts> steady = new ArrayList<>();
    for (long t = 0; t <= 10_500; t += 250) {
      long accepted = Math.min(1_000, t / 10);
      steady.add(new NodeCounts(t, accepted, Math.min(1_000, Math.max(0, (t - 1_000) / 10) + (t >= 10_500 ? 1_000 : 0))));
    }
    BacklogRule.Verdict held = BacklogRule.judge(steady, 0, 10_000, 100, 1_000, 1_000, 10_500);
    assertTrue(held.held(), held.reason());
    assertEquals(0.5, held.drainSeconds());
    assertEquals(200, held.allowed());

    BacklogRule.Verdict refused = BacklogRule.judge(steady, 0, 10_000, 100, 1_000, 990, 10_500);
    assertFalse(refused.held());
    assertEquals("10 of 1000 submissions not accepted", refused.reason());
    assertFalse(BacklogRule.judge(steady, 0, 10_000, 100, 1_000, 1_000, 0).held(), "never drained");
    assertFalse(BacklogRule.judge(steady, 0, 10_000, 100, 1_000, 1_000, 20_000).held(), "drained too late");
  }

  @Test
  void aRateFailsWhenTheBacklogKeepsGrowing() {
    // Accepted at 100/s, completed at 50/s: the backlog grows by 250 over the second half of 10 s.
    List<NodeCounts> falling = new ArrayList<>();
    for (long t = 0; t <= 10_000; t += 250) {
      falling.add(new NodeCounts(t, t / 10, t / 20));
    }
    BacklogRule.Verdict verdict = BacklogRule.judge(falling, 0, 10_000, 100, 1_000, 1_000, 0);
    assertFalse(verdict.held());
    assertEquals(250, verdict.growth(), 1);
    assertTrue(verdict.reason().startsWith("backlog grew by 250"), verdict.reason());
  }
}
