package io.jobcluster.node.worker.handler;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which destinations {@code http} jobs may call. Checked on resolved addresses, so every spelling of
 * an address (decimal, octal, hex, short, IPv4-mapped IPv6) is judged by what it resolves to.
 * Denied by default: loopback, link-local (cloud metadata services live there), private, carrier-grade
 * NAT, unique-local, unspecified, multicast, broadcast and the other special-purpose ranges, also when
 * embedded in IPv6 (mapped, compatible, NAT64, 6to4). An operator allows internal targets by host
 * name, address or CIDR ({@code JOBCLUSTER_HTTP_ALLOWED_HOSTS}).
 */
public final class AddressPolicy {

  /** Where a refusal tells the operator to look. */
  static final String ALLOW_HINT = "JOBCLUSTER_HTTP_ALLOWED_HOSTS";

  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  // Special-purpose IPv4 ranges (RFC 6890 and its updates), most specific first where they overlap.
  private static final List<Cidr> DENIED_V4 = List.of(
      Cidr.parse("255.255.255.255/32", "broadcast"),
      Cidr.parse("0.0.0.0/8", "unspecified"),
      Cidr.parse("10.0.0.0/8", "private"),
      Cidr.parse("100.64.0.0/10", "carrier-grade NAT"),
      Cidr.parse("127.0.0.0/8", "loopback"),
      Cidr.parse("169.254.0.0/16", "link-local"),
      Cidr.parse("172.16.0.0/12", "private"),
      Cidr.parse("192.0.0.0/24", "reserved"),
      Cidr.parse("192.0.2.0/24", "documentation"),
      Cidr.parse("192.88.99.0/24", "reserved"),
      Cidr.parse("192.168.0.0/16", "private"),
      Cidr.parse("198.18.0.0/15", "benchmarking"),
      Cidr.parse("198.51.100.0/24", "documentation"),
      Cidr.parse("203.0.113.0/24", "documentation"),
      Cidr.parse("224.0.0.0/4", "multicast"),
      Cidr.parse("240.0.0.0/4", "reserved"));

  private static final List<Cidr> DENIED_V6 = List.of(
      Cidr.parse("::/128", "unspecified"),
      Cidr.parse("::1/128", "loopback"),
      Cidr.parse("fe80::/10", "link-local"),
      Cidr.parse("fec0::/10", "site-local"),
      Cidr.parse("fc00::/7", "unique-local"),
      Cidr.parse("ff00::/8", "multicast"),
      Cidr.parse("100::/64", "reserved"),
      Cidr.parse("2001::/32", "reserved"),
      Cidr.parse("2001:db8::/32", "documentation"),
      Cidr.parse("64:ff9b:1::/48", "reserved"));

  private static final AddressPolicy DEFAULT = new AddressPolicy(Set.of(), List.of());

  private final Set<String> allowedHosts;
  private final List<Cidr> allowedRanges;

  private AddressPolicy(Set<String> allowedHosts, List<Cidr> allowedRanges) {
    this.allowedHosts = Set.copyOf(allowedHosts);
    this.allowedRanges = List.copyOf(allowedRanges);
  }

  /** Public addresses only. */
  public static AddressPolicy denyInternal() {
    return DEFAULT;
  }

  /**
   * Public addresses, and these: host names (matched against the URL's host, whatever they resolve
   * to), IP addresses and CIDR ranges (matched against resolved addresses).
   *
   * @throws IllegalArgumentException for an entry that is none of those
   */
  public static AddressPolicy allowing(List<String> entries) {
    List<String> hosts = new ArrayList<>();
    List<Cidr> ranges = new ArrayList<>();
    for (String raw : entries) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.contains("/") || isLiteral(entry)) {
        ranges.add(Cidr.parse(entry, "allowed"));
      } else {
        hosts.add(normalizeHost(entry));
      }
    }
    return new AddressPolicy(Set.copyOf(hosts), ranges);
  }

  /**
   * Why a call to {@code address}, resolved from the URL's {@code host}, is refused; empty when it
   * is allowed.
   */
  public Optional<String> refusal(String host, InetAddress address) {
    if (allowedHosts.contains(normalizeHost(host))) {
      return Optional.empty();
    }
    InetAddress canonical = unmapped(address);
    if (allowedRanges.stream().anyMatch(range -> range.contains(canonical) || range.contains(address))) {
      return Optional.empty();
    }
    return specialRange(address);
  }

  /**
   * The special-purpose range {@code address} lies in ("loopback", "private", ...), judging an IPv4
   * address embedded in IPv6 by the IPv4 address; empty for a public address.
   */
  static Optional<String> specialRange(InetAddress address) {
    Optional<Inet4Address> embedded = embeddedV4(address);
    if (embedded.isPresent()) {
      return rangeOf(embedded.get(), DENIED_V4);
    }
    return rangeOf(address, address instanceof Inet4Address ? DENIED_V4 : DENIED_V6);
  }

  /** The refusal text of the job's failure: the address, why, and how an operator would allow it. */
  static String refusalMessage(InetAddress address, String reason) {
    return "destination " + address.getHostAddress() + " is not allowed: " + reason + "; allow it with " + ALLOW_HINT;
  }

  /**
   * Resolves {@code host} once and checks every address it resolves to: one refused address refuses
   * the host (a name must not resolve to a public and an internal address and let chance decide).
   *
   * @return the first address, to connect to as it is (never resolved again)
   * @throws DestinationRefusedException when an address is refused
   * @throws UnknownHostException when the host does not resolve
   */
  InetAddress resolve(String host, Resolver resolver) throws UnknownHostException {
    InetAddress[] addresses = resolver.resolve(host);
    if (addresses.length == 0) {
      throw new UnknownHostException(host);
    }
    for (InetAddress address : addresses) {
      Optional<String> refused = refusal(host, address);
      if (refused.isPresent()) {
        throw new DestinationRefusedException(refusalMessage(address, refused.get()));
      }
    }
    return addresses[0];
  }

  @Override
  public String toString() {
    return "AddressPolicy[allowedHosts=" + allowedHosts + ", allowedRanges="
        + allowedRanges.stream().map(Cidr::toString).collect(Collectors.joining(", ", "[", "]")) + "]";
  }

  /** Resolves a host name (or literal) to its addresses; {@link InetAddress#getAllByName} in production. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A call the policy refuses: not worth retrying, it is refused the same way next time. */
  static final class DestinationRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DestinationRefusedException(String message) {
      super(message);
    }
  }

  private static Optional<String> rangeOf(InetAddress address, List<Cidr> ranges) {
    return ranges.stream().filter(range -> range.contains(address)).map(Cidr::name).findFirst();
  }

  /** The IPv4 address an IPv6 address carries: IPv4-mapped, -compatible, NAT64 (64:ff9b::/96), 6to4 (2002::/16). */
  private static Optional<Inet4Address> embeddedV4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return Optional.empty();
    }
    byte[] bytes = address.getAddress();
    boolean zeroPrefix = allZero(bytes, 0, 10);
    boolean mapped = zeroPrefix && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    // ::/128 and ::1 are IPv6's own unspecified and loopback addresses, not compatible IPv4 ones.
    boolean compatible = zeroPrefix && bytes[10] == 0 && bytes[11] == 0 && (!allZero(bytes, 12, 15) || (bytes[15] & 0xff) > 1);
    boolean nat64 = bytes[0] == 0 && bytes[1] == 0x64 && (bytes[2] & 0xff) == 0xff && (bytes[3] & 0xff) == 0x9b
        && allZero(bytes, 4, 12);
    if (mapped || compatible || nat64) {
      return Optional.of(v4(Arrays.copyOfRange(bytes, 12, 16)));
    }
    if (bytes[0] == 0x20 && bytes[1] == 0x02) {
      return Optional.of(v4(Arrays.copyOfRange(bytes, 2, 6)));
    }
    return Optional.empty();
  }

  private static InetAddress unmapped(InetAddress address) {
    return embeddedV4(address).<InetAddress>map(v4 -> v4).orElse(address);
  }

  private static boolean allZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static Inet4Address v4(byte[] bytes) {
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  /** An IP literal: four dotted decimals or an IPv6 address (brackets allowed); never looked up. */
  private static boolean isLiteral(String text) {
    return IPV4_LITERAL.matcher(text).matches() || text.contains(":");
  }

  private static String normalizeHost(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    if (lower.startsWith("[") && lower.endsWith("]")) {
      lower = lower.substring(1, lower.length() - 1);
    }
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /** An address range; a single address is a range of one. */
  record Cidr(byte[] network, int prefix, String name) {

    static Cidr parse(String text, String name) {
      int slash = text.indexOf('/');
      String address = slash < 0 ? text : text.substring(0, slash);
      if (address.startsWith("[") && address.endsWith("]")) {
        address = address.substring(1, address.length() - 1);
      }
      if (!isLiteral(address)) {
        throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
      }
      byte[] bytes;
      try {
        // A literal: no name service is asked.
        bytes = InetAddress.getByName(address).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range", e);
      }
      int prefix;
      try {
        prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' has an invalid prefix length", e);
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
      }
      return new Cidr(bytes, prefix, name);
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (bytes[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public String toString() {
      try {
        return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
