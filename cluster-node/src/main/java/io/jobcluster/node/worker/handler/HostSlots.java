package io.jobcluster.node.worker.handler;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The places for calls in flight to one host. A call takes a place or waits for one in line, without
 * blocking a thread: it gets a future that completes when a place is its. Waiting is bounded twice:
 * every waiter is an attempt holding a worker slot (so at most the node's worker concurrency wait),
 * and a waiter leaves the line when its attempt is aborted (cancelled, lease lost, timed out).
 */
final class HostSlots {

  /** A place taken; {@link #release} gives it to the next in line, once however often it is called. */
  final class Slot {
    private final AtomicBoolean released = new AtomicBoolean();

    void release() {
      if (released.compareAndSet(false, true)) {
        handOver();
      }
    }
  }

  private final int limit;
  private final Deque<CompletableFuture<Slot>> waiting = new ArrayDeque<>();
  private int taken;

  HostSlots(int limit) {
    this.limit = limit;
  }

  /**
   * A place, at once or when one is free. When {@code abort} completes first, the call leaves the line
   * and the future fails with the abort's cause: it took nothing and releases nothing. Once the
   * future completed with a place, the caller owns it and must release it.
   */
  CompletionStage<Slot> acquire(CompletionStage<?> abort) {
    CompletableFuture<Slot> place = new CompletableFuture<>();
    synchronized (this) {
      if (taken < limit) {
        taken++;
        place.complete(new Slot());
        return place;
      }
      waiting.add(place);
    }
    abort.whenComplete((ignored, reason) -> leave(place, reason));
    return place;
  }

  private void leave(CompletableFuture<Slot> place, Throwable reason) {
    boolean left;
    synchronized (this) {
      left = waiting.remove(place);
    }
    // Not in line any more: it got its place already and releases it after its call.
    if (left) {
      place.completeExceptionally(reason != null ? reason : new IllegalStateException("aborted while waiting for a place"));
    }
  }

  private void handOver() {
    CompletableFuture<Slot> next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        taken--;
        return;
      }
    }
    // Taken out of the line under the lock, so no abort completes it: the place passes to it for sure.
    next.complete(new Slot());
  }

  synchronized int inFlight() {
    return taken;
  }

  synchronized int waiting() {
    return waiting.size();
  }

  /** Nobody holds or waits for a place: the host can be forgotten without losing count. */
  synchronized boolean idle() {
    return taken == 0 && waiting.isEmpty();
  }
}
