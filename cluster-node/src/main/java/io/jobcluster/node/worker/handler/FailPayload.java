package io.jobcluster.node.worker.handler;

import java.math.BigInteger;

/** The payload of {@code fail}: {@code {"times": 1, "retryable": true}}, both optional. */
record FailPayload(BigInteger times, Boolean retryable) {

  FailPayload {
    times = times == null ? BigInteger.ONE : Payloads.within("times", times, 0, Integer.MAX_VALUE);
    retryable = retryable == null || retryable;
  }

  static FailPayload parse(String json) {
    return Payloads.read(json, FailPayload.class);
  }

  /** How many attempts fail: {@code times}, which fits an int. */
  int failingAttempts() {
    return times.intValueExact();
  }
}
