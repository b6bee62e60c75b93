package io.jobcluster.bench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.bench.CountAt;
import io.jobcluster.bench.report.Plots;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CPU, heap, machine and rate readings, on this very JVM where they need a live process. */
class ProcessProbesTest {
  private static final String STAT = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1 0 0 0 250 50 7 3 20 0 30 0 100 0 0";

  @Test
  void cpuTicksAreReadAfterTheCommandNameWhateverItHolds() {
    assertEquals(300, ProcessCpu.ticks(STAT, false));
    assertEquals(310, ProcessCpu.ticks(STAT, true), "reaped children's 7 + 3 ticks");
    long self = ProcessHandle.current().pid();
    assertTrue(ProcessCpu.seconds(self).orElseThrow() > 0);
    assertTrue(ProcessCpu.treeSeconds(self).orElseThrow() >= ProcessCpu.seconds(self).orElseThrow());
    assertTrue(ProcessCpu.seconds(Long.MAX_VALUE).isEmpty());
    assertTrue(ProcessCpu.treeSeconds(Long.MAX_VALUE).isEmpty());
  }

  @Test
  void liveHeapIsReadAfterAFullCollection() {
    assertEquals((2885L + 1000) * 1024, HeapProbe.usedBytes(
        " def new generation   total 78656K, used 2885K [0x1, 0x2)\n tenured generation   total 174784K, used 1000K\n"
            + " Metaspace       used 8949K, committed 9088K, reserved 1114112K\n"));
    assertThrows(IllegalArgumentException.class, () -> HeapProbe.usedBytes("nothing"));
    assertTrue(HeapProbe.liveBytes(ProcessHandle.current().pid()) > 0);
  }

  @Test
  void theMachineIsDescribed() {
    Map<String, String> machine = MachineInfo.describe();
    assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()), machine.get("cores (nproc)"));
    assertFalse(machine.get("Java").isBlank());
    assertFalse(MachineInfo.loadAverage().isBlank());
    assertEquals("23.5 GiB", MachineInfo.gibibytes("MemTotal:       24682748 kB".substring(9)));
    assertEquals("AMD EPYC", MachineInfo.firstValue(List.of("processor\t: 0", "model name\t: AMD EPYC"), "model name").orElseThrow());
    assertEquals("\"Debian\"", MachineInfo.firstValue(List.of("PRETTY_NAME=\"Debian\""), "PRETTY_NAME").orElseThrow());
  }

  @Test
  void throughputIsTheCountsGrowthOverATrailingWindow() {
    List<CountAt> counts = List.of(new CountAt(500, 0), new CountAt(1_000, 0), new CountAt(1_500, 50), new CountAt(2_000, 100),
        new CountAt(2_500, 300));
    List<Plots.Point> rates = Rates.perSecond(counts, 1_000, 1_000);
    // Each point: growth over the last second (50 from 0.5 s to 1.5 s, ...).
    assertEquals(List.of(new Plots.Point(0.5, 50), new Plots.Point(1.0, 100), new Plots.Point(1.5, 250)), rates.subList(1, 4));
    assertTrue(rates.stream().allMatch(p -> p.x() >= 0), "nothing before the origin");
    assertEquals(List.of(new Plots.Point(0, 0), new Plots.Point(0.5, 50), new Plots.Point(1.0, 100), new Plots.Point(1.5, 300)),
        Rates.values(counts, 1_000));
  }
}
