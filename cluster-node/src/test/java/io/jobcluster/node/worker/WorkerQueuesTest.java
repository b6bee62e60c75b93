package io.jobcluster.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.worker.WorkerQueues.WorkerQueue;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerQueuesTest {
  @Test
  void readsQueuesAndSlotsInTheOrderGiven() {
    List<WorkerQueue> queues = WorkerQueues.parse("default:8, media:2,etl");
    assertEquals(List.of(new WorkerQueue("default", 8, List.of()), new WorkerQueue("media", 2, List.of()),
        new WorkerQueue("etl", 1, List.of())), queues, "a queue without a number gets one slot, without types every handled type");
  }

  @Test
  void readsTheJobTypesAPoolTakes() {
    List<WorkerQueue> queues = WorkerQueues.parse("media:8:thumbnail|convert, default:2:noop");
    assertEquals(List.of(new WorkerQueue("media", 8, List.of("convert", "thumbnail")), new WorkerQueue("default", 2, List.of("noop"))), queues);
    assertEquals(List.of("a.b", "x_y-1"), WorkerQueues.parse("q:1: x_y-1 | a.b |a.b").get(0).types(), "trimmed, sorted, once each");
  }

  @Test
  void anEmptyListMeansNoWorkerPools() {
    assertTrue(WorkerQueues.parse("").isEmpty());
    assertTrue(WorkerQueues.parse(" , ").isEmpty());
  }

  @Test
  void rejectsWhatCannotBeAQueueOrASlotCount() {
    for (String bad : List.of("Default:1", "media:x", "media:0", "media:1001", "a:1,a:2", ":3", "a:1:noop,a:2:sleep")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerQueues.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("worker queue"), e.getMessage());
    }
  }

  @Test
  void rejectsTypesThatNoJobCanHave() {
    for (String bad : List.of("media:2:", "media:2:convert|", "media:2:con vert", "media:2:a|b:c", "media::noop")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerQueues.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("worker queue 'media'"), e.getMessage());
    }
  }
}
