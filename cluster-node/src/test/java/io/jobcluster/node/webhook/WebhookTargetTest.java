package io.jobcluster.node.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.worker.handler.AddressPolicy;
import io.jobcluster.protocol.InvalidRequestException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The address rules of outbound calls, applied to webhook URLs; only IP literals, so no name is looked up. */
class WebhookTargetTest {
  private final WebhookTarget publicOnly = new WebhookTarget(AddressPolicy.denyInternal());

  @Test
  void refusesLoopbackPrivateLinkLocalAndUniqueLocalAddressesByDefault() {
    for (String url : List.of("http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "https://192.168.0.7/hook", "http://169.254.169.254/",
        "http://[::1]/hook", "http://[fd00::1]/hook", "http://[::ffff:127.0.0.1]/hook")) {
      InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> publicOnly.check(url, "webhook.url"), url);
      assertEquals("webhook.url", refused.field());
      assertTrue(refused.getMessage().contains("JOBCLUSTER_HTTP_ALLOWED_HOSTS"), refused.getMessage());
    }
  }

  @Test
  void allowsPublicAddressesAndWhatTheOperatorAllows() throws Exception {
    assertDoesNotThrow(() -> publicOnly.check("https://93.184.216.34/hook", "webhook.url"));
    WebhookTarget allowing = new WebhookTarget(AddressPolicy.allowing(List.of("127.0.0.1", "10.0.0.0/8")));
    assertDoesNotThrow(() -> allowing.check("http://127.0.0.1:9999/hook", "webhook.url"));
    assertDoesNotThrow(() -> allowing.check("http://10.9.8.7/hook", "webhook.url"));
    assertEquals("127.0.0.1", allowing.resolve(URI.create("http://127.0.0.1:9999/hook")).getHostAddress());
    assertThrows(WebhookTarget.RefusedException.class, () -> publicOnly.resolve(URI.create("http://127.0.0.1:9999/hook")));
  }

  @Test
  void refusesWhatIsNoHttpUrl() {
    for (String url : List.of("ftp://93.184.216.34/x", "mailto:a@b.c", "//93.184.216.34/x", "http://u:p@93.184.216.34/x",
        "http://93.184.216.34/x#frag", "", "http://" + "a".repeat(2050) + ".com/")) {
      assertThrows(InvalidRequestException.class, () -> publicOnly.check(url, "webhook.url"), url);
    }
  }
}
