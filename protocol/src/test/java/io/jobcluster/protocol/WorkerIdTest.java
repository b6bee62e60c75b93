package io.jobcluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerIdTest {
  private static final String NODE = "127.0.0.1:25520#-4417290342271237611";

  @Test
  void aPoolIdIsItsNodeAndQueueAndParsesBack() {
    WorkerId id = new WorkerId(NODE, "media");
    assertEquals(NODE + "/media", id.toString());
    assertEquals(Optional.of(id), WorkerId.parse(id.toString()));
    assertEquals("127.0.0.1:25520", id.address());
  }

  @Test
  void externalWorkerIdsAreNoPoolIds() {
    assertEquals(Optional.empty(), WorkerId.parse("ocr-worker-7"));
    assertEquals(Optional.empty(), WorkerId.parse(null));
    assertEquals(Optional.empty(), WorkerId.parse("/media"));
  }

  @Test
  void runsOnComparesTheWholeNodeIncludingItsIncarnation() {
    String worker = new WorkerId(NODE, "default").toString();
    assertTrue(WorkerId.runsOn(worker, NODE));
    assertFalse(WorkerId.runsOn(worker, "127.0.0.1:25520#1"), "a restarted node is another incarnation");
    assertFalse(WorkerId.runsOn("ocr-worker-7", NODE));
  }

  @Test
  void aNodeWithoutIncarnationIsItsOwnAddress() {
    assertEquals("127.0.0.1:1", new WorkerId("127.0.0.1:1", "q").address());
  }

  @Test
  void theQueueMustBeAValidQueueName() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> new WorkerId(NODE, "Media!"));
    assertEquals("queue", e.field());
  }
}
