package io.jobcluster.node.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The refusal rule of the node's listeners: a listener that is reachable from other machines
 * (bound to anything but a loopback address) must be encrypted, unless the operator said in so
 * many words that the network is trusted. A node that breaks the rule does not start.
 *
 * @param listener what listens, as the error names it ("the cluster transport")
 * @param hostSetting the setting that chose the address
 * @param fix what to set to encrypt it
 * @param insecureSetting what to set to run it unencrypted anyway
 */
public record ListenerRule(String listener, String hostSetting, String fix, String insecureSetting) {
  /** Resolves a host name to its addresses; an empty array when it does not resolve. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host);

    Resolver SYSTEM = host -> {
      try {
        return InetAddress.getAllByName(host);
      } catch (UnknownHostException e) {
        return new InetAddress[0];
      }
    };
  }

  /** Refuses ({@link IllegalStateException}) an unencrypted listener on a non-loopback {@code host} unless {@code insecure}. */
  public void check(String host, boolean encrypted, boolean insecure) {
    check(host, encrypted, insecure, Resolver.SYSTEM);
  }

  void check(String host, boolean encrypted, boolean insecure, Resolver resolver) {
    if (encrypted || insecure || isLoopback(host, resolver)) {
      return;
    }
    throw new IllegalStateException("refusing to start: " + listener + " would listen on '" + host + "' (" + hostSetting
        + "), which is not a loopback address, without TLS. Set " + fix + ", or set " + insecureSetting
        + " if every machine that can reach that address is trusted.");
  }

  /**
   * A loopback address (127.0.0.0/8, ::1, and IPv4-mapped forms of them), or a name all of whose
   * addresses are loopback. A wildcard (0.0.0.0, ::), a blank host and a name that does not resolve
   * are not: they may be reachable from anywhere.
   */
  static boolean isLoopback(String host, Resolver resolver) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses = resolver.resolve(bare);
    return addresses.length > 0 && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
  }
}
