package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeaseKeeperTest {

  private ScheduledThreadPoolExecutor scheduler;

  @BeforeEach
  void startScheduler() {
    scheduler = new ScheduledThreadPoolExecutor(1);
    scheduler.setRemoveOnCancelPolicy(true);
  }

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  @Test
  void heartbeatsEveryThirdOfTheLeaseWithAFloor() {
    assertEquals(Duration.ofSeconds(10), LeaseKeeper.interval(Duration.ofSeconds(30)));
    assertEquals(Duration.ofMillis(10), LeaseKeeper.interval(Duration.ZERO));
  }

  @Test
  void heartbeatsCarryTheSuppliedProgress() {
    TestJobContext context = context();

    LeaseKeeper keeper = LeaseKeeper.start(context, () -> "{\"done\":1}", () -> {});

    Results.eventually("a heartbeat", () -> !context.heartbeats().isEmpty());
    keeper.stop();
    assertEquals("{\"done\":1}", context.heartbeats().get(0));
  }

  @Test
  void stopEndsTheHeartbeats() {
    // A long lease: the first beat is due a third of it after start, long after stop() on any machine.
    TestJobContext context = context().leaseTimeout(Duration.ofSeconds(30));

    LeaseKeeper.start(context, () -> null, () -> {}).stop();

    assertTrue(scheduler.getQueue().isEmpty());
    assertTrue(context.heartbeats().isEmpty());
  }

  @Test
  void reportsALostLeaseOnceAndStops() {
    AtomicInteger lost = new AtomicInteger();
    TestJobContext context = context().answerHeartbeats(progress -> CompletableFuture.completedFuture(false));

    LeaseKeeper.start(context, () -> null, lost::incrementAndGet);

    Results.eventually("the lease reported lost", () -> lost.get() > 0);
    assertTrue(scheduler.getQueue().isEmpty(), "no heartbeat scheduled after the lease is gone");
    assertEquals(1, lost.get());
    assertEquals(1, context.heartbeats().size());
  }

  private TestJobContext context() {
    return new TestJobContext("sleep", null, scheduler).leaseTimeout(Duration.ofMillis(30));
  }
}
