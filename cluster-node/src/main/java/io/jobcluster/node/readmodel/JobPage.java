package io.jobcluster.node.readmodel;

import java.util.List;

/**
 * One page of a newest-first listing.
 *
 * @param nextCursor pass it to get the next page; null when this was the last one
 */
public record JobPage(List<JobSummary> items, String nextCursor) {
  public JobPage {
    items = List.copyOf(items);
  }
}
