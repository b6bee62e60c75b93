package io.jobcluster.bench.load;

import java.util.Map;

/**
 * What a burst of batch submissions did.
 *
 * @param refusedThenRetried jobs a node refused (429, 503) and the submitter sent again after the wait it asked for
 * @param failures requests that failed for good (timeouts, errors): their jobs may or may not have been accepted
 * @param gets the read-back sample; null when none was asked
 * @param lateness for jobs with a runAt that call back: how late each first call came; null otherwise
 */
public record BurstResult(long jobs, long accepted, long refusedThenRetried, Map<String, Long> failures,
                          long firstSubmitEpochMillis, long lastAcceptedEpochMillis, SampleGets gets, Lateness lateness) {

  /** Accepted jobs per second, from the first submission to the last acceptance. */
  public double acceptedPerSecond() {
    long millis = Math.max(1, lastAcceptedEpochMillis - firstSubmitEpochMillis);
    return accepted * 1000.0 / millis;
  }

  /**
   * {@code GET /v1/jobs/{id}} of a sample of the accepted jobs, after the burst.
   *
   * @param statuses how many answered with each status; failures under their kind
   * @param latency encoded histogram, microseconds
   */
  public record SampleGets(int asked, int answered, Map<String, Long> statuses, String latency) {}

  /**
   * When jobs with a runAt called, against their runAt.
   *
   * @param early calls that came before their runAt (never expected); {@code earliestMicros} the most negative lateness
   * @param submittedLate jobs accepted only after their runAt had passed (left out of the histogram)
   * @param histogram encoded, microseconds late, of the jobs accepted before their runAt
   */
  public record Lateness(long expected, long arrived, long repeated, long early, long earliestMicros, long submittedLate,
                         String histogram) {}
}
