package io.jobcluster.node.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  @Test
  void isTheHmacSha256OfTimestampDotBody() {
    // RFC 4231, test case 2.
    assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        WebhookSignature.hmac("Jefe", "what do ya want for nothing?"));
    assertEquals("t=1700000000,v1=" + WebhookSignature.hmac("whsec_x", "1700000000.{\"id\":1}"),
        WebhookSignature.header("whsec_x", 1700000000L, "{\"id\":1}"));
  }

  @Test
  void newSecretsAreLongAndDistinct() {
    String one = WebhookSignature.newSecret();
    assertTrue(one.startsWith("whsec_") && one.length() >= 40, one);
    assertNotEquals(one, WebhookSignature.newSecret());
  }

  @Test
  void backoffDoublesUpToItsMaximum() {
    WebhookDeliverer.Settings settings = new WebhookDeliverer.Settings(10, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1),
        Duration.ofSeconds(10));
    assertEquals(Duration.ofSeconds(1), settings.backoff(1));
    assertEquals(Duration.ofSeconds(2), settings.backoff(2));
    assertEquals(Duration.ofSeconds(4), settings.backoff(3));
    assertEquals(Duration.ofSeconds(5), settings.backoff(4));
    assertEquals(Duration.ofSeconds(5), settings.backoff(40));
  }
}
