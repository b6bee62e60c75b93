package io.jobcluster.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The open loop's schedule and its coordinated-omission-corrected recording. */
class LatencyRecorderTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void requestsAreDueOnAFixedScheduleWhateverHappened() {
    FixedRate rate = new FixedRate(250);
    assertEquals(0, rate.dueNanos(0));
    assertEquals(4 * MS, rate.dueNanos(1));
    assertEquals(1_000 * MS, rate.dueNanos(250));
    assertEquals(250, rate.countWithin(Duration.ofSeconds(1)));
    assertEquals(3, new FixedRate(2.5).countWithin(Duration.ofSeconds(1)), "a request at 0, 0.4 s and 0.8 s");
    assertThrows(IllegalArgumentException.class, () -> new FixedRate(0));
  }

  @Test
  void aStallShowsInEveryRequestThatWaitedBehindIt() {
    // 100 requests due 10 ms apart; the server stalls for 1 s at the start and then answers them all at once.
    FixedRate rate = new FixedRate(100);
    LatencyRecorder recorder = new LatencyRecorder();
    long stallEnd = 1_000 * MS;
    for (int i = 0; i < 100; i++) {
      recorder.record(rate.dueNanos(i), Math.max(stallEnd, rate.dueNanos(i) + MS));
    }
    Histogram latencies = recorder.snapshot();
    assertEquals(100, latencies.getTotalCount());
    // Measured from each request's due time, the stall costs the first request 1 s and the median about half of it.
    assertEquals(1_000_000, latencies.getMaxValue(), 1_000);
    assertEquals(500_000, latencies.getValueAtPercentile(50), 20_000);
  }

  @Test
  void anAnswerBeforeItsDueTimeCountsAsZeroAndAHugeOneIsCapped() {
    LatencyRecorder recorder = new LatencyRecorder();
    recorder.record(10 * MS, 5 * MS);
    recorder.recordMicros(Long.MAX_VALUE);
    Histogram latencies = recorder.snapshot();
    assertEquals(0, latencies.getMinValue());
    assertEquals(LatencyRecorder.MAX_MICROS, latencies.getMaxValue(), LatencyRecorder.MAX_MICROS / 500.0);
  }

  @Test
  void aHistogramSurvivesItsTextForm() {
    LatencyRecorder recorder = new LatencyRecorder();
    for (int i = 1; i <= 1_000; i++) {
      recorder.recordMicros(i * 10L);
    }
    Histogram copy = HistogramCodec.decode(HistogramCodec.encode(recorder.snapshot()));
    assertEquals(1_000, copy.getTotalCount());
    assertEquals(recorder.snapshot().getValueAtPercentile(99), copy.getValueAtPercentile(99));
    assertThrows(IllegalArgumentException.class, () -> HistogramCodec.decode("AAAA"));
  }
}
