package io.jobcluster.protocol.client;

import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.JobPage;

/**
 * Filters and paging for {@link JobclusterClient#list}; a null component is left out of the query.
 *
 * @param limit page size, 1..1000 (the server's default is 50)
 * @param cursor a previous page's {@link JobPage#nextCursor()}, or null for the first page
 */
public record ListQuery(JobStatus status, String queue, String type, Integer limit, String cursor) {

  /** Every job the key may see, newest first, in pages of the server's default size. */
  public static ListQuery all() {
    return new ListQuery(null, null, null, null, null);
  }

  public ListQuery withStatus(JobStatus value) {
    return new ListQuery(value, queue, type, limit, cursor);
  }

  public ListQuery withQueue(String value) {
    return new ListQuery(status, value, type, limit, cursor);
  }

  public ListQuery withType(String value) {
    return new ListQuery(status, queue, value, limit, cursor);
  }

  public ListQuery withLimit(Integer value) {
    return new ListQuery(status, queue, type, value, cursor);
  }

  public ListQuery withCursor(String value) {
    return new ListQuery(status, queue, type, limit, value);
  }
}
