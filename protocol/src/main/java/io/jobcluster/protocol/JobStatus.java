package io.jobcluster.protocol;

/** The lifecycle status of a job; the names are the wire contract (upper case). */
public enum JobStatus {
  SCHEDULED,
  PENDING,
  RUNNING,
  RETRYING,
  COMPLETED,
  FAILED,
  CANCELLED,
  EXPIRED;

  /** Terminal statuses never change again; such a job may only be deleted. */
  public boolean isTerminal() {
    return this == COMPLETED || this == CANCELLED || this == EXPIRED;
  }

  /** A job in one of these statuses still has work or a deadline ahead of it. */
  public boolean isActive() {
    return !isTerminal() && this != FAILED;
  }
}
