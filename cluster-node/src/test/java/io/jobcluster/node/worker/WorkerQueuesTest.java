package io.jobcluster.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerQueuesTest {
  @Test
  void readsQueuesAndSlotsInTheOrderGiven() {
    Map<String, Integer> queues = WorkerQueues.parse("default:8, media:2,etl");
    assertEquals(List.of("default", "media", "etl"), List.copyOf(queues.keySet()));
    assertEquals(8, queues.get("default"));
    assertEquals(2, queues.get("media"));
    assertEquals(1, queues.get("etl"), "a queue without a number gets one slot");
  }

  @Test
  void anEmptyListMeansNoWorkerPools() {
    assertTrue(WorkerQueues.parse("").isEmpty());
    assertTrue(WorkerQueues.parse(" , ").isEmpty());
  }

  @Test
  void rejectsWhatCannotBeAQueueOrASlotCount() {
    for (String bad : List.of("Default:1", "media:x", "media:0", "media:1001", "a:1,a:2", ":3")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerQueues.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("worker queue"), e.getMessage());
    }
  }
}
