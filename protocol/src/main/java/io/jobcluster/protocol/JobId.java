package io.jobcluster.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A job's id: a canonical UUID ({@link JobIds#isValid}). Serializes as the plain string, so a
 * message that carries it keeps the form it had with a {@code String}.
 */
public record JobId(@JsonValue String value) {
  public JobId {
    if (!JobIds.isValid(value)) {
      throw new IllegalArgumentException("job id must be a canonical UUID: " + value);
    }
  }

  @JsonCreator
  public static JobId of(String value) {
    return new JobId(value);
  }

  public static JobId random() {
    return new JobId(JobIds.random());
  }

  @Override
  public String toString() {
    return value;
  }
}
