package io.jobcluster.bench.load;

import io.jobcluster.protocol.wire.ApiError;
import io.jobcluster.protocol.client.JobclusterApiException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failed requests or refused jobs, counted by kind ({@code 503 unavailable}, {@code HttpTimeoutException}, ...). */
final class Failures {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  void add(Throwable failure) {
    add(kind(failure), 1);
  }

  void add(ApiError refusal, int status) {
    add(status + " " + refusal.error(), 1);
  }

  void add(String kind, long n) {
    counts.computeIfAbsent(kind, k -> new LongAdder()).add(n);
  }

  long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((kind, count) -> copy.put(kind, count.sum()));
    return copy;
  }

  static String kind(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof JobclusterApiException api) {
      return api.status() + " " + api.error();
    }
    if (cause instanceof UncheckedIOException io && io.getCause() != null) {
      Throwable detail = io.getCause();
      // A bare IOException says what happened only in its message (reset, closed, no bytes).
      return detail.getClass() == java.io.IOException.class && detail.getMessage() != null
          ? "IOException: " + detail.getMessage() : detail.getClass().getSimpleName();
    }
    return cause.getClass().getSimpleName();
  }
}
