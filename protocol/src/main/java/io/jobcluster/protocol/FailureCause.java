package io.jobcluster.protocol;

/** Why an attempt ended without completing. Worker losses are counted apart from handler errors. */
public enum FailureCause {
  /** The handler reported an error. */
  HANDLER_ERROR,
  /** The lease ran out without a heartbeat or a result. */
  LEASE_EXPIRED,
  /** The worker's node left or was downed while the attempt was running. */
  WORKER_LOST
}
