package io.jobcluster.node.limits;

import java.time.Duration;

/** Whether submissions may go ahead, and if not, why and when to try again. */
public sealed interface Admission {
  Admission ADMITTED = new Admitted();

  record Admitted() implements Admission {}

  /** Over the submission rate: retry after {@code retryAfter} (null when the request can never fit the burst). */
  record RateLimited(Duration retryAfter, String message) implements Admission {}

  /** Over the tenant's maximum of active jobs. */
  record QuotaExceeded(long active, long limit, String message) implements Admission {}
}
