package io.jobcluster.node.readmodel;

import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobIds;
import io.jobcluster.protocol.wire.JobSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Where a newest-first listing continues: after the job created at {@code createdAt} with
 * {@code id} (ties on the time are broken by id). Clients see it as an opaque base64url string.
 */
record ListCursor(Instant createdAt, String id) {
  private static final Instant EARLIEST = Instant.EPOCH;
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

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
      Instant createdAt = Instant.parse(plain.substring(0, bar));
      String id = plain.substring(bar + 1);
      // Only a job's creation time and id; anything else (NUL, times no database column holds) would fail the query.
      if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(LATEST) || !JobIds.isValid(id)) {
        throw invalid();
      }
      return new ListCursor(createdAt, id);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw invalid();
    }
  }

  private static InvalidRequestException invalid() {
    return new InvalidRequestException("cursor", "is not a cursor from a previous page");
  }
}
