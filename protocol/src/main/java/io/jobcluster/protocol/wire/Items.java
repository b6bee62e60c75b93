package io.jobcluster.protocol.wire;

import java.util.List;

/** The {@code {"items": [...]}} envelope of every list answer without paging. */
public record Items<T>(List<T> items) {
  public Items {
    items = items == null ? List.of() : List.copyOf(items);
  }
}
