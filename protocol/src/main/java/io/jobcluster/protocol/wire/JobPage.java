package io.jobcluster.protocol.wire;

import java.util.List;

/**
 * One page of a newest-first listing, on the server and in the client alike.
 *
 * @param nextCursor pass it back for the next page; null after the last one
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
