package io.jobcluster.protocol;

import static io.jobcluster.protocol.JobStatus.*;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The job state machine as data: which status may follow which. The job entity checks every
 * transition against this table before persisting anything.
 */
public final class JobTransitions {

  /** Statuses a new job may start in. */
  public static final Set<JobStatus> INITIAL = Collections.unmodifiableSet(EnumSet.of(SCHEDULED, PENDING));

  private static final Map<JobStatus, Set<JobStatus>> ALLOWED = new EnumMap<>(JobStatus.class);

  static {
    ALLOWED.put(SCHEDULED, EnumSet.of(PENDING, CANCELLED, EXPIRED));
    ALLOWED.put(PENDING, EnumSet.of(RUNNING, CANCELLED, EXPIRED));
    ALLOWED.put(RUNNING, EnumSet.of(COMPLETED, RETRYING, FAILED, CANCELLED, PENDING));
    ALLOWED.put(RETRYING, EnumSet.of(PENDING, CANCELLED, EXPIRED));
    ALLOWED.put(FAILED, EnumSet.of(PENDING));
    ALLOWED.put(COMPLETED, EnumSet.noneOf(JobStatus.class));
    ALLOWED.put(CANCELLED, EnumSet.noneOf(JobStatus.class));
    ALLOWED.put(EXPIRED, EnumSet.noneOf(JobStatus.class));
  }

  private JobTransitions() {}

  public static boolean isAllowed(JobStatus from, JobStatus to) {
    return ALLOWED.get(from).contains(to);
  }

  public static Set<JobStatus> allowedFrom(JobStatus from) {
    return Collections.unmodifiableSet(ALLOWED.get(from));
  }
}
