package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.Webhook;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.wire.WebhookDelivery;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks on the embedded H2 database: a delivery retried until its receiver answers 2xx, and its log. */
class H2WebhooksTest {
  private static final String ADMIN_KEY = "admin-key-for-h2-webhooks-0123456789";

  @TempDir
  Path dataDir;

  @Test
  void aDeliveryIsRetriedUntilA2xxAndLoggedOnH2() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver();
        JobclusterNode node = TestNodes.start(DatabaseSettings.h2(dataDir), "jobcluster.admin-key = \"" + ADMIN_KEY + "\"\n"
            + "jobcluster.worker-queues = \"default:2\"\njobcluster.http-jobs.allowed-hosts = [\"127.0.0.1\"]\n"
            + "jobcluster.webhooks.initial-backoff = 200ms\njobcluster.webhooks.poll-interval = 200ms\n")) {
      JobclusterClient client = JobclusterClient.builder().baseUri(URI.create("http://127.0.0.1:" + node.httpAddress().getPort()))
          .apiKey(ADMIN_KEY).build();
      String secret = client.drawWebhookSecret("h2-tenant").secret();
      JobclusterClient tenant = JobclusterClient.builder().baseUri(URI.create("http://127.0.0.1:" + node.httpAddress().getPort()))
          .apiKey(client.issueKey("h2-tenant", List.of("submit", "read"), "h2 webhooks").key()).build();

      String id = tenant.submit(JobRequest.of("noop").withWebhook(new Webhook(receiver.url("/fail-1/h2")))).job().id();

      Awaitility.await().atMost(Duration.ofSeconds(60))
          .until(() -> tenant.webhookDeliveries(id).stream().anyMatch(d -> d.state().equals("delivered")));
      WebhookDelivery delivery = tenant.webhookDeliveries(id).get(0);
      assertEquals(List.of(JobStatus.COMPLETED, 2), List.of(delivery.jobStatus(), delivery.attempts()));
      assertEquals(List.of(503, 204), delivery.log().stream().map(a -> a.httpStatus()).toList());
      WebhookReceiver.Received last = receiver.at("/fail-1/h2").get(1);
      assertTrue(WebhookReceiver.verifies(secret, last.signature(), last.body()));
    }
  }
}
