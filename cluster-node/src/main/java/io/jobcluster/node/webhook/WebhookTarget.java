package io.jobcluster.node.webhook;

import io.jobcluster.node.worker.handler.AddressPolicy;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.Webhook;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where webhooks may go: the outbound address rules of {@code http} jobs ({@link AddressPolicy},
 * {@code JOBCLUSTER_HTTP_ALLOWED_HOSTS}) apply. A URL naming an IP address (or {@code localhost}) is
 * judged when the job is submitted; a host name when each call resolves it, and the call connects to
 * the address that was checked.
 */
public final class WebhookTarget {
  private final AddressPolicy policy;

  public WebhookTarget(AddressPolicy policy) {
    this.policy = policy;
  }

  /**
   * Checks a webhook URL of a request: its form, and its address when it names one.
   *
   * @throws InvalidRequestException naming {@code field}
   */
  public void check(String url, String field) {
    URI uri = Webhook.checkedUrl(url, field);
    String host = uri.getHost();
    if (isLiteral(host) || host.equalsIgnoreCase("localhost")) {
      try {
        resolve(uri);
      } catch (RefusedException e) {
        throw new InvalidRequestException(field, e.getMessage());
      } catch (UnknownHostException e) {
        throw new InvalidRequestException(field, "names an unknown host");
      }
    }
  }

  /**
   * Resolves the host of {@code url} once and checks every address it resolves to.
   *
   * @return the address to connect to
   * @throws RefusedException when an address is not allowed
   * @throws UnknownHostException when the host does not resolve
   */
  InetAddress resolve(URI url) throws UnknownHostException {
    String host = url.getHost();
    InetAddress[] addresses = InetAddress.getAllByName(host);
    for (InetAddress address : addresses) {
      Optional<String> refused = policy.refusal(host, address);
      if (refused.isPresent()) {
        throw new RefusedException(message(address, refused.get()));
      }
    }
    return addresses[0];
  }

  private static String message(InetAddress address, String reason) {
    return "destination " + address.getHostAddress() + " is not allowed: " + reason + "; allow it with JOBCLUSTER_HTTP_ALLOWED_HOSTS";
  }

  /** An IP literal (dotted IPv4 or bracketed IPv6): resolving it asks no name service. */
  private static boolean isLiteral(String host) {
    return host.startsWith("[") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  /** A destination the rules refuse: the same next time, so not worth retrying. */
  static final class RefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }
}
