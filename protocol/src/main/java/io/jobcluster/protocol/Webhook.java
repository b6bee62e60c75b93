package io.jobcluster.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where the node POSTs a job's view when the job finishes (COMPLETED, FAILED, CANCELLED, EXPIRED),
 * signed with the tenant's webhook secret ({@code X-Jobcluster-Signature}).
 *
 * @param url an absolute http or https URL without user info, at most {@value #MAX_URL_LENGTH} characters
 */
public record Webhook(String url) {
  public static final int MAX_URL_LENGTH = 2048;

  /**
   * The URL, checked for its form (the destination's address is checked by the node).
   *
   * @throws InvalidRequestException naming {@code field} when it is no such URL
   */
  public static URI checkedUrl(String url, String field) {
    if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
      throw new InvalidRequestException(field, "must be an http or https URL of at most " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidRequestException(field, "is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null) {
      throw new InvalidRequestException(field, "must be an absolute http or https URL with a host, without user info or fragment");
    }
    return uri;
  }
}
