package io.jobcluster.multijvm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.OptionalInt;

/**
 * One answer of {@code GET /health/ready}. {@code members} (Up cluster members) is optional in
 * the contract, so it is read when present and never required.
 */
public record ReadinessProbe(int status, String body) {
  /** No HTTP answer at all: the process is not (yet) listening. */
  public static final ReadinessProbe UNREACHABLE = new ReadinessProbe(-1, "");

  private static final ObjectMapper JSON = new ObjectMapper();

  public boolean isReady() {
    return status == 200;
  }

  /** The members the node reported, if its answer is JSON that names them. */
  public OptionalInt members() {
    try {
      JsonNode members = JSON.readTree(body).path("members");
      return members.isInt() ? OptionalInt.of(members.intValue()) : OptionalInt.empty();
    } catch (JsonProcessingException e) {
      return OptionalInt.empty();
    }
  }

  /** For failure messages: status and body, or "unreachable". */
  public String summary() {
    return status < 0 ? "unreachable" : status + " " + body;
  }
}
