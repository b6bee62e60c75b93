package io.jobcluster.multijvm;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One answer of {@code GET /health/ready}. {@code members} (Up cluster members) is optional in
 * the contract, so it is read when present and never required.
 */
public record Readiness(int status, OptionalInt members, String body) {
  /** No HTTP answer at all: the process is not (yet) listening. */
  public static final Readiness UNREACHABLE = new Readiness(-1, OptionalInt.empty(), "");

  // A regex rather than a JSON library: the harness depends on nothing but the JDK and JUnit.
  private static final Pattern MEMBERS = Pattern.compile("\"members\"\\s*:\\s*(\\d+)");

  public static Readiness of(int status, String body) {
    Matcher m = MEMBERS.matcher(body);
    return new Readiness(status, m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty(), body);
  }

  public boolean isReady() {
    return status == 200;
  }

  /** For failure messages: status and body, or "unreachable". */
  public String summary() {
    return status < 0 ? "unreachable" : status + " " + body;
  }
}
