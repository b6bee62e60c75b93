package io.jobcluster.bench.load;

import io.jobcluster.protocol.client.JobclusterClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/** One client per node over one shared HTTP/1.1 client; request {@code i} goes to node {@code i mod n}. */
final class LoadClients {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final List<JobclusterClient> clients;

  private LoadClients(List<JobclusterClient> clients) {
    this.clients = clients;
  }

  static LoadClients connect(LoadTask.Target target) {
    // HTTP/1.1: the JDK client would otherwise try an h2c upgrade on every new connection.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    return new LoadClients(target.nodes().stream()
        .map(node -> JobclusterClient.builder().baseUri(node).apiKey(target.apiKey()).httpClient(http)
            .requestTimeout(REQUEST_TIMEOUT).build())
        .toList());
  }

  JobclusterClient pick(long i) {
    return clients.get((int) Math.floorMod(i, (long) clients.size()));
  }
}
