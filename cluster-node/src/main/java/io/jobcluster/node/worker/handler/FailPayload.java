package io.jobcluster.node.worker.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The payload of {@code fail}: {@code {"times": 1, "retryable": true}}, both optional. */
record FailPayload(int times, boolean retryable) {

  static FailPayload parse(String json) {
    ObjectNode payload = Payloads.object(json);
    int times = (int) Payloads.optionalLong(payload, "times", 0, Integer.MAX_VALUE).orElse(1);
    boolean retryable = Payloads.optionalBoolean(payload, "retryable").orElse(true);
    return new FailPayload(times, retryable);
  }
}
