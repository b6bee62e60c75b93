package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scenario a: three nodes form one cluster, and work submitted to any of them runs on all of them. */
@MultiJvmTest
class ThreeNodesShareWorkChaosTest {
  static final String SCENARIO = "a. three nodes share the work";
  private static final int JOBS = 600;
  private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(2);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void jobsSubmittedToAnyNodeRunOnWorkersOfAllNodes() {
    long started = System.nanoTime();
    try (ChaosCluster chaos = ChaosCluster.start("ThreeNodesShareWorkChaosTest", POSTGRES, 3, Map.of())) {
      Set<String> allNodes = chaos.cluster().nodes().stream().map(NodeProcess::name).collect(Collectors.toCollection(TreeSet::new));

      JobLoad.Outcome load = chaos.load("a", HoldMix.uniform(50, 300)).submitAll(JOBS);
      LoadCheck.Verdict verdict = LoadCheck.awaitCompleted(chaos::anyClient, load, chaos.ledger(), COMPLETION_TIMEOUT);

      // For each node that accepted jobs: the nodes whose workers ran them.
      Map<String, List<ExecutionLedger.Execution>> byJob = chaos.ledger().byJob();
      Map<String, Set<String>> ranOnByEntry = new TreeMap<>();
      load.acknowledged().values().forEach(ack -> byJob.getOrDefault(ack.jobId(), List.of()).forEach(run ->
          ranOnByEntry.computeIfAbsent(ack.node(), entry -> new TreeSet<>()).add(chaos.nodeName(run.node()))));
      Map<String, Long> executionsByNode = chaos.ledger().executions().stream()
          .collect(Collectors.groupingBy(run -> chaos.nodeName(run.node()), TreeMap::new, Collectors.counting()));
      ReliabilityReport.record(ReliabilityReport.Row.of(SCENARIO, verdict, chaos::nodeName, "n/a (no failure)",
          Duration.ofNanos(System.nanoTime() - started),
          "hold " + HoldMix.uniform(50, 300).description() + "; executions by node " + executionsByNode
              + "; submissions spread over all nodes"));

      assertEquals(JOBS, verdict.acknowledged(), verdict.summary());
      assertTrue(verdict.lost().isEmpty(), verdict.summary());
      assertTrue(verdict.duplicates().isEmpty(), verdict.summary());
      assertEquals(allNodes, ranOnByEntry.keySet(), "every node accepted jobs");
      ranOnByEntry.forEach((entry, ranOn) -> assertEquals(allNodes, ranOn, "nodes that ran the jobs submitted to " + entry));
    }
  }
}
