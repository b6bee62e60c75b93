package io.jobcluster.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/** Concurrent submitters or clients: {@code n} threads each running its part, waited for together. */
public final class Workers {
  private Workers() {}

  /** Runs {@code worker.accept(0 .. n-1)} on {@code n} threads at once and returns when all are done; a failure is rethrown. */
  public static void runAll(int n, IntConsumer worker) {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        running.add(pool.submit(() -> worker.accept(index)));
      }
      for (Future<?> future : running) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("a worker failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while workers ran", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
