package io.jobcluster.protocol;

/**
 * The job entity's answer to every command. A sealed reply instead of {@code StatusReply}
 * exceptions, so a rejection keeps its code and details when it crosses nodes.
 */
public sealed interface JobReply extends CborSerializable {

  /** The command took effect (or was a repeat of one that did). */
  record Accepted(JobView job, boolean created) implements JobReply {
    public static Accepted of(JobView job) {
      return new Accepted(job, false);
    }
  }

  /**
   * The command was refused and nothing was persisted.
   *
   * @param from the job's status, for {@code invalid_transition}
   * @param to the status the command asked for, for {@code invalid_transition}
   */
  record Rejected(ErrorCode error, String message, JobStatus from, JobStatus to) implements JobReply {
    public static Rejected of(ErrorCode error, String message) {
      return new Rejected(error, message, null, null);
    }

    public static Rejected invalidTransition(JobStatus from, JobStatus to) {
      return new Rejected(ErrorCode.INVALID_TRANSITION, "a " + from + " job cannot become " + to, from, to);
    }
  }
}
