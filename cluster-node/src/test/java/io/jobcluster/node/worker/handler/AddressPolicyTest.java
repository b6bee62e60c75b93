package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The outbound address rules, on resolved addresses only: nothing here opens a connection. */
class AddressPolicyTest {

  private static final AddressPolicy DEFAULT = AddressPolicy.denyInternal();

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, loopback",
    "127.255.255.254, loopback",
    "::1, loopback",
    "169.254.169.254, link-local",
    "169.254.170.2, link-local",
    "fe80::1, link-local",
    "fd00:ec2::254, unique-local",
    "fc00::1, unique-local",
    "10.0.0.1, private",
    "172.16.0.1, private",
    "172.31.255.255, private",
    "192.168.1.1, private",
    "100.64.0.1, carrier-grade NAT",
    "100.100.100.200, carrier-grade NAT",
    "100.127.255.255, carrier-grade NAT",
    "0.0.0.0, unspecified",
    "0.1.2.3, unspecified",
    "::, unspecified",
    "224.0.0.1, multicast",
    "239.255.255.250, multicast",
    "ff02::1, multicast",
    "255.255.255.255, broadcast",
    "240.0.0.1, reserved",
    "192.0.0.192, reserved",
    "198.18.0.1, benchmarking",
    "192.0.2.1, documentation",
    "2001:db8::1, documentation",
    "fec0::1, site-local",
    // IPv4 inside IPv6: mapped, compatible, NAT64 and 6to4 forms are judged by the IPv4 address.
    "::ffff:127.0.0.1, loopback",
    "::ffff:169.254.169.254, link-local",
    "::ffff:10.1.2.3, private",
    "::127.0.0.1, loopback",
    "::169.254.169.254, link-local",
    "64:ff9b::a9fe:a9fe, link-local",
    "64:ff9b::7f00:1, loopback",
    "2002:7f00:1::, loopback",
    "2002:a9fe:a9fe::1, link-local",
    "0:0:0:0:0:ffff:c0a8:0101, private"
  })
  void deniesInternalAndSpecialAddressesByDefault(String address, String reason) throws UnknownHostException {
    assertEquals(Optional.of(reason), DEFAULT.refusal("target", InetAddress.getByName(address)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
      "169.253.255.255", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"})
  void allowsPublicAddresses(String address) throws UnknownHostException {
    assertEquals(Optional.empty(), DEFAULT.refusal("target", InetAddress.getByName(address)));
  }

  @Test
  void theAllowListAdmitsHostNamesAddressesAndRanges() throws UnknownHostException {
    AddressPolicy policy = AddressPolicy.allowing(List.of(" billing.internal ", "10.1.2.3", "192.168.0.0/16", "[fd00::5]", "", "Metrics.Internal."));

    assertEquals(Optional.empty(), policy.refusal("billing.internal", InetAddress.getByName("10.9.9.9")), "by host name, whatever it resolves to");
    assertEquals(Optional.empty(), policy.refusal("BILLING.internal.", InetAddress.getByName("127.0.0.1")), "host names case-insensitively");
    assertEquals(Optional.empty(), policy.refusal("metrics.internal", InetAddress.getByName("10.9.9.9")));
    assertEquals(Optional.empty(), policy.refusal("other", InetAddress.getByName("10.1.2.3")), "by address");
    assertEquals(Optional.empty(), policy.refusal("other", InetAddress.getByName("::ffff:10.1.2.3")), "an address in mapped form");
    assertEquals(Optional.empty(), policy.refusal("other", InetAddress.getByName("192.168.44.1")), "by CIDR");
    assertEquals(Optional.empty(), policy.refusal("other", InetAddress.getByName("fd00::5")), "an IPv6 address in brackets");

    assertEquals(Optional.of("private"), policy.refusal("other", InetAddress.getByName("10.1.2.4")), "the neighbour is not allowed");
    assertEquals(Optional.of("unique-local"), policy.refusal("other", InetAddress.getByName("fd00::6")));
    assertEquals(Optional.of("link-local"), policy.refusal("billing.internal.evil", InetAddress.getByName("169.254.169.254")));
  }

  @Test
  void aCidrAllowsExactlyItsRange() throws UnknownHostException {
    AddressPolicy policy = AddressPolicy.allowing(List.of("127.0.0.0/30", "fd00:ec2::/112"));

    assertEquals(Optional.empty(), policy.refusal("h", InetAddress.getByName("127.0.0.3")));
    assertEquals(Optional.of("loopback"), policy.refusal("h", InetAddress.getByName("127.0.0.4")));
    assertEquals(Optional.empty(), policy.refusal("h", InetAddress.getByName("fd00:ec2::254")));
    assertEquals(Optional.of("unique-local"), policy.refusal("h", InetAddress.getByName("fd00:ec2::1:254")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/x", "::/129", "not a host/8"})
  void refusesAnAllowListEntryThatIsNoHostAddressOrRange(String entry) {
    assertThrows(IllegalArgumentException.class, () -> AddressPolicy.allowing(List.of(entry)));
  }

  @Test
  void aHostIsRefusedWhenAnyOfItsAddressesIsRefused() {
    // Chance must not pick the internal address: one refused address refuses the host.
    AddressPolicy.Resolver twoFaced = host -> new InetAddress[] {address("93.184.216.34"), address("169.254.169.254")};

    AddressPolicy.DestinationRefusedException refused =
        assertThrows(AddressPolicy.DestinationRefusedException.class, () -> DEFAULT.resolve("metadata.example", twoFaced));

    assertEquals("destination 169.254.169.254 is not allowed: link-local; allow it with JOBCLUSTER_HTTP_ALLOWED_HOSTS", refused.getMessage());
  }

  @Test
  void resolvesOnceAndAnswersTheCheckedAddress() throws UnknownHostException {
    AtomicInteger lookups = new AtomicInteger();
    AddressPolicy.Resolver resolver = host -> {
      lookups.incrementAndGet();
      return new InetAddress[] {address("93.184.216.34"), address("93.184.216.35")};
    };

    assertEquals(address("93.184.216.34"), DEFAULT.resolve("example.test", resolver));
    assertEquals(1, lookups.get());
  }

  /**
   * Each spelling as the JVM's resolver reads it (no lookup goes out for a literal): decimal, the
   * mapped and compatible IPv6 forms and leading zeros all become a loopback address and are refused.
   * Java reads {@code 0177.0.0.1} as decimal 177.0.0.1, a public address, and that address is the
   * one it connects to, so it is judged as such.
   */
  @ParameterizedTest
  @CsvSource({
    "2130706433, 127.0.0.1, loopback",
    "[::1], 0:0:0:0:0:0:0:1, loopback",
    "[::ffff:127.0.0.1], 127.0.0.1, loopback",
    "[::127.0.0.1], 0:0:0:0:0:0:7f00:1, loopback",
    "0127.0.0.1, 127.0.0.1, loopback",
    "127.000.000.001, 127.0.0.1, loopback",
    "[::ffff:a9fe:a9fe], 169.254.169.254, link-local",
    "2852039166, 169.254.169.254, link-local",
    "0177.0.0.1, 177.0.0.1, ",
  })
  void everySpellingIsJudgedByTheAddressItResolvesTo(String host, String resolved, String reason) throws UnknownHostException {
    if (reason == null) {
      assertEquals(address(resolved), DEFAULT.resolve(host, InetAddress::getAllByName));
      return;
    }
    AddressPolicy.DestinationRefusedException refused =
        assertThrows(AddressPolicy.DestinationRefusedException.class, () -> DEFAULT.resolve(host, InetAddress::getAllByName));
    assertEquals("destination " + resolved + " is not allowed: " + reason + "; allow it with JOBCLUSTER_HTTP_ALLOWED_HOSTS", refused.getMessage());
  }

  @Test
  void localhostIsLoopback() {
    AddressPolicy.DestinationRefusedException refused =
        assertThrows(AddressPolicy.DestinationRefusedException.class, () -> DEFAULT.resolve("localhost", InetAddress::getAllByName));
    assertTrue(refused.getMessage().endsWith("is not allowed: loopback; allow it with JOBCLUSTER_HTTP_ALLOWED_HOSTS"), refused.getMessage());
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
