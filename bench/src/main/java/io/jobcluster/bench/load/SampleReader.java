package io.jobcluster.bench.load;

import io.jobcluster.protocol.client.JobclusterClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** Reads a sample of accepted jobs back one by one ({@code GET /v1/jobs/{id}}): do they still answer, and how fast. */
final class SampleReader {
  private SampleReader() {}

  static BurstResult.SampleGets read(LoadClients clients, AtomicReferenceArray<String> ids) {
    LatencyRecorder latency = new LatencyRecorder();
    Map<String, Long> statuses = new TreeMap<>();
    int asked = 0;
    int answered = 0;
    for (int i = 0; i < ids.length(); i++) {
      String id = ids.get(i);
      if (id == null) {
        continue;
      }
      asked++;
      JobclusterClient client = clients.pick(i);
      long start = System.nanoTime();
      try {
        String status = client.get(id).status().name();
        latency.record(start, System.nanoTime());
        answered++;
        statuses.merge(status, 1L, Long::sum);
      } catch (RuntimeException e) {
        statuses.merge(Failures.kind(e), 1L, Long::sum);
      }
    }
    return new BurstResult.SampleGets(asked, answered, statuses, HistogramCodec.encode(latency.snapshot()));
  }
}
