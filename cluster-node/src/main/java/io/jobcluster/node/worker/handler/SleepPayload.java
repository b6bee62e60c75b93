package io.jobcluster.node.worker.handler;

import java.time.Duration;

/** The payload of {@code sleep}: {@code {"ms": 1000}}, 0 to 24 h. */
record SleepPayload(Duration duration) {

  static final long MAX_MS = Duration.ofHours(24).toMillis();

  static SleepPayload parse(String json) {
    long ms = Payloads.requiredLong(Payloads.object(json), "ms", 0, MAX_MS);
    return new SleepPayload(Duration.ofMillis(ms));
  }
}
