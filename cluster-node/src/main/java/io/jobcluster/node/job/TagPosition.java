package io.jobcluster.node.job;

import io.jobcluster.protocol.InvalidRequestException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a stream over the job tag slices stands: the journal ordering it reached in each slice. As
 * {@link #text()} (an SSE {@code id}, a {@code Last-Event-ID}) the orderings joined by dots, slice 0 first.
 */
public record TagPosition(List<Long> orderings) {

  public TagPosition {
    orderings = List.copyOf(orderings);
  }

  /** Every slice at {@code ordering}. */
  public static TagPosition uniform(int slices, long ordering) {
    return new TagPosition(Collections.nCopies(slices, ordering));
  }

  /**
   * Reads a position written by {@link #text()} for {@code slices} slices.
   *
   * @throws InvalidRequestException naming {@code Last-Event-ID} when it is not one
   */
  public static TagPosition parse(String text, int slices) {
    String[] parts = text.trim().split("\\.", -1);
    if (parts.length != slices) {
      throw invalid();
    }
    List<Long> orderings = new ArrayList<>();
    for (String part : parts) {
      long ordering;
      try {
        ordering = Long.parseLong(part);
      } catch (NumberFormatException e) {
        throw invalid();
      }
      if (ordering < 0) {
        throw invalid();
      }
      orderings.add(ordering);
    }
    return new TagPosition(orderings);
  }

  private static InvalidRequestException invalid() {
    return new InvalidRequestException("Last-Event-ID", "is not an id this stream sent");
  }

  public long ordering(int slice) {
    return orderings.get(slice);
  }

  /** This position with {@code slice} at {@code ordering}. */
  public TagPosition with(int slice, long ordering) {
    List<Long> next = new ArrayList<>(orderings);
    next.set(slice, ordering);
    return new TagPosition(next);
  }

  /** The position as text: the orderings joined by dots. */
  public String text() {
    return orderings.stream().map(String::valueOf).collect(Collectors.joining("."));
  }
}
