package io.jobcluster.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;

/**
 * The id of one lease on one attempt of a job. Any non-blank string: external workers send back
 * what they were given. Serializes as the plain string.
 */
public record LeaseId(@JsonValue String value) {
  public LeaseId {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("lease id must not be blank");
    }
  }

  @JsonCreator
  public static LeaseId of(String value) {
    return new LeaseId(value);
  }

  public static LeaseId random() {
    return new LeaseId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
