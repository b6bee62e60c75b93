package io.jobcluster.node.worker.handler;

import java.math.BigInteger;
import java.time.Duration;

/** The payload of {@code sleep}: {@code {"ms": 1000}}, 0 to 24 h. */
record SleepPayload(BigInteger ms) {

  static final long MAX_MS = Duration.ofHours(24).toMillis();

  SleepPayload {
    Payloads.within("ms", Payloads.required("ms", ms), 0, MAX_MS);
  }

  static SleepPayload parse(String json) {
    return Payloads.read(json, SleepPayload.class);
  }

  Duration duration() {
    return Duration.ofMillis(ms.longValueExact());
  }
}
