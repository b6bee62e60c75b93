package io.jobcluster.node.tls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The refusal rule on addresses alone: nothing is bound, and names resolve from a fixed table. */
class ListenerRuleTest {
  private static final Map<String, List<String>> NAMES = Map.of(
      "localhost", List.of("127.0.0.1", "::1"),
      "node-a.internal", List.of("10.0.0.5"),
      "split.example", List.of("127.0.0.1", "192.0.2.7"));
  /** IP literals parse without a lookup; names come from {@link #NAMES}, any other name does not resolve. */
  private static final ListenerRule.Resolver RESOLVER = host -> {
    List<String> named = NAMES.get(host);
    if (named == null && !host.matches("[0-9a-fA-F:.]+")) {
      return new InetAddress[0];
    }
    return (named == null ? List.of(host) : named).stream().map(ListenerRuleTest::literal).toArray(InetAddress[]::new);
  };

  @Test
  void loopbackAddressesAndNamesThatResolveOnlyToLoopbackAreLoopback() {
    for (String host : List.of("127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "localhost")) {
      assertTrue(ListenerRule.isLoopback(host, RESOLVER), host);
    }
  }

  @Test
  void routableWildcardBlankAndUnresolvableHostsAreNotLoopback() {
    for (String host : List.of("10.0.0.5", "192.168.1.10", "172.16.0.1", "169.254.169.254", "192.0.2.1", "0.0.0.0", "::", "fe80::1",
        "2001:db8::1", "::ffff:10.0.0.1", "", " ", "node-a.internal", "split.example", "no-such-host.invalid", "<getHostAddress>")) {
      assertFalse(ListenerRule.isLoopback(host, RESOLVER), host);
    }
  }

  @Test
  void anUnencryptedClusterTransportOnARoutableAddressIsRefusedNamingWhatToSet() {
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> ClusterTls.RULE.check("10.0.0.5", false, false, RESOLVER));
    String message = refused.getMessage();
    assertTrue(message.startsWith("refusing to start: the cluster transport (Artery) would listen on '10.0.0.5'"), message);
    assertTrue(message.contains("JOBCLUSTER_CLUSTER_TLS_KEY_STORE") && message.contains("JOBCLUSTER_CLUSTER_TLS_TRUST_STORE"), message);
    assertTrue(message.contains("JOBCLUSTER_CLUSTER_INSECURE=true"), message);
    assertThrows(IllegalStateException.class, () -> ClusterTls.RULE.check("0.0.0.0", false, false, RESOLVER));
    assertThrows(IllegalStateException.class, () -> ClusterTls.RULE.check("node-a.internal", false, false, RESOLVER));
  }

  @Test
  void tlsOrAnExplicitInsecureSettingOrLoopbackLetsAListenerStart() {
    assertDoesNotThrow(() -> ClusterTls.RULE.check("10.0.0.5", true, false, RESOLVER));
    assertDoesNotThrow(() -> ClusterTls.RULE.check("10.0.0.5", false, true, RESOLVER));
    assertDoesNotThrow(() -> ClusterTls.RULE.check("127.0.0.1", false, false, RESOLVER));
    assertDoesNotThrow(() -> ClusterTls.RULE.check("localhost", false, false, RESOLVER));
  }

  @Test
  void plainHttpOnARoutableAddressIsRefusedNamingTheHttpSettings() {
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> GatewayTls.RULE.check("0.0.0.0", false, false, RESOLVER));
    assertTrue(refused.getMessage().contains("the HTTP API") && refused.getMessage().contains("JOBCLUSTER_HTTP_TLS_KEY_STORE")
        && refused.getMessage().contains("JOBCLUSTER_HTTP_INSECURE=true"), refused.getMessage());
    assertDoesNotThrow(() -> GatewayTls.RULE.check("0.0.0.0", true, false, RESOLVER));
    assertDoesNotThrow(() -> GatewayTls.RULE.check("0.0.0.0", false, true, RESOLVER));
  }

  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }
}
