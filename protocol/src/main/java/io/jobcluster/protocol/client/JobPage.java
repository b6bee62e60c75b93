package io.jobcluster.protocol.client;

import java.util.List;

/**
 * One page of a newest-first listing.
 *
 * @param nextCursor pass it to {@link ListQuery#withCursor} for the next page; null after the last one
 */
public record JobPage(List<JobSummary> items, String nextCursor) {
  public JobPage {
    items = items == null ? List.of() : List.copyOf(items);
  }

  /** Whether there is another page after this one. */
  public boolean hasMore() {
    return nextCursor != null;
  }
}
