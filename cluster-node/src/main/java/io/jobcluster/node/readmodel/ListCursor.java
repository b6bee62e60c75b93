package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Where a newest-first listing continues: after the job created at {@code createdAt} with
 * {@code id} (ties on the time are broken by id). Clients see it as an opaque base64url string.
 */
record ListCursor(Instant createdAt, String id) {

  static ListCursor after(JobSummary last) {
    return new ListCursor(last.createdAt(), last.id());
  }

  String encode() {
    String plain = createdAt + "|" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws InvalidRequestException when {@code cursor} is not one this class encoded
   */
  static ListCursor decode(String cursor) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = plain.indexOf('|');
      if (bar <= 0 || bar == plain.length() - 1) {
        throw invalid();
      }
      return new ListCursor(Instant.parse(plain.substring(0, bar)), plain.substring(bar + 1));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw invalid();
    }
  }

  private static InvalidRequestException invalid() {
    return new InvalidRequestException("cursor", "is not a cursor from a previous page");
  }
}
