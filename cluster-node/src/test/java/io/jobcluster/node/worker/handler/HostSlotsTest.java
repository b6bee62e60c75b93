package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class HostSlotsTest {

  private final HostSlots slots = new HostSlots(2);
  private final CompletableFuture<Void> never = new CompletableFuture<>();

  @Test
  void placesUpToTheLimitAreGivenAtOnceTheRestWaitInOrder() {
    HostSlots.Slot first = slots.acquire(never).toCompletableFuture().join();
    slots.acquire(never).toCompletableFuture().join();
    CompletableFuture<HostSlots.Slot> third = slots.acquire(never).toCompletableFuture();
    CompletableFuture<HostSlots.Slot> fourth = slots.acquire(never).toCompletableFuture();

    assertFalse(third.isDone());
    assertEquals(2, slots.waiting());
    first.release();
    assertTrue(third.isDone());
    assertFalse(fourth.isDone());
    assertEquals(2, slots.inFlight());
  }

  @Test
  void releasingTwiceGivesOnePlaceBack() {
    HostSlots.Slot first = slots.acquire(never).toCompletableFuture().join();
    first.release();
    first.release();

    assertEquals(0, slots.inFlight());
    assertTrue(slots.idle());
  }

  @Test
  void anAbortedWaiterLeavesTheLineAndTakesNothing() {
    HostSlots.Slot first = slots.acquire(never).toCompletableFuture().join();
    HostSlots.Slot second = slots.acquire(never).toCompletableFuture().join();
    CompletableFuture<Void> abort = new CompletableFuture<>();
    CompletableFuture<HostSlots.Slot> waiter = slots.acquire(abort).toCompletableFuture();
    CompletableFuture<HostSlots.Slot> next = slots.acquire(never).toCompletableFuture();

    abort.completeExceptionally(new IllegalStateException("cancelled"));

    assertTrue(waiter.isCompletedExceptionally());
    assertEquals("cancelled", org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, waiter::join).getCause().getMessage());
    assertEquals(1, slots.waiting());
    first.release();
    assertTrue(next.isDone(), "the place went to the next one in line");
    second.release();
    next.join().release();
    assertTrue(slots.idle());
  }

  @Test
  void anAbortAfterThePlaceWasGivenLeavesItToTheHolder() {
    CompletableFuture<Void> abort = new CompletableFuture<>();
    HostSlots.Slot held = slots.acquire(abort).toCompletableFuture().join();
    abort.completeExceptionally(new IllegalStateException("cancelled"));

    assertEquals(1, slots.inFlight());
    held.release();
    assertTrue(slots.idle());
  }
}
