package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class HostGuardsTest {

  private static final ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "host-guards-test");
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private HostGuards guards(int maxHosts) {
    return new HostGuards(system.classicSystem().scheduler(),
        new HttpJobSettings.HostLimits(3, Duration.ofSeconds(30), 1, maxHosts, Duration.ofHours(1)), Duration.ofSeconds(61), meters);
  }

  @Test
  void aHostKeepsItsGuardWhileKept() {
    HostGuards guards = guards(2);

    assertSame(guards.of("a.test:443"), guards.of("a.test:443"));
    assertEquals(1, guards.size());
  }

  @Test
  void beyondTheCapAnIdleHostIsForgottenBeforeABusyOne() {
    HostGuards guards = guards(2);
    HostSlots.Slot busy = guards.of("busy.test:80").slots().acquire(new CompletableFuture<>()).toCompletableFuture().join();
    guards.of("idle.test:80");

    guards.of("new.test:80");

    assertTrue(guards.knows("busy.test:80"), "the eldest is busy: kept");
    assertFalse(guards.knows("idle.test:80"));
    assertEquals(2, meters.find("jobcluster.http.breaker.state").gauges().size());
    busy.release();
  }

  @Test
  void whenEveryHostIsBusyTheLeastRecentlyCalledIsForgottenAllTheSame() {
    HostGuards guards = guards(1);
    HostGuards.HostGuard first = guards.of("first.test:80");
    HostSlots.Slot held = first.slots().acquire(new CompletableFuture<>()).toCompletableFuture().join();

    guards.of("second.test:80");

    assertEquals(1, guards.size());
    assertFalse(guards.knows("first.test:80"));
    assertEquals(1, meters.find("jobcluster.http.breaker.state").gauges().size());
    held.release();
    assertNotSame(first, guards.of("first.test:80"), "a forgotten host starts afresh");
  }
}
