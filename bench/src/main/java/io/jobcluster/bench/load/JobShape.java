package io.jobcluster.bench.load;

import io.jobcluster.protocol.JobRequest;
import java.time.Duration;
import java.time.Instant;

/**
 * What each job of a load is: a {@code noop}, or an {@code http} job that calls the load
 * generator's {@link CallbackServer} (to see when it started); due at once, or at
 * {@code base + runAtLead + runAtSpread * index / total}.
 */
public record JobShape(Kind kind, Duration runAtLead, Duration runAtSpread) {
  public enum Kind { NOOP, CALLBACK }

  public JobShape {
    runAtSpread = runAtSpread == null ? Duration.ZERO : runAtSpread;
  }

  public static JobShape noop() {
    return new JobShape(Kind.NOOP, null, null);
  }

  public static JobShape callback() {
    return new JobShape(Kind.CALLBACK, null, null);
  }

  /** Jobs due {@code lead} from the load's start, spread evenly over the following {@code spread}. */
  public JobShape dueIn(Duration lead, Duration spread) {
    return new JobShape(kind, lead, spread);
  }

  public boolean callsBack() {
    return kind == Kind.CALLBACK;
  }

  /** The job's {@code runAt}, or null for a job due at once. */
  public Instant runAt(long index, long total, Instant base) {
    if (runAtLead == null) {
      return null;
    }
    long spreadMicros = total <= 1 ? 0 : runAtSpread.toNanos() / 1_000 * index / total;
    return base.plus(runAtLead).plusNanos(spreadMicros * 1_000);
  }

  /** The request for job {@code index}; {@code callbacks} is null unless the shape calls back. */
  public JobRequest request(long index, long total, Instant base, CallbackServer callbacks) {
    JobRequest request = kind == Kind.NOOP ? JobRequest.of("noop")
        : JobRequest.of("http").withPayload("{\"url\":\"" + callbacks.url(index) + "\",\"method\":\"POST\"}");
    Instant runAt = runAt(index, total, base);
    return runAt == null ? request : request.withRunAt(runAt);
  }
}
