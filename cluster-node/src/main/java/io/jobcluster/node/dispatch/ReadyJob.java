package io.jobcluster.node.dispatch;

import io.jobcluster.protocol.LeaseId;
import java.time.Instant;
import java.util.Comparator;

/**
 * A PENDING job as its queue's dispatcher orders it among its tenant's jobs: higher priority
 * first, then the one that has waited longest (between tenants, {@link ReadySet} takes turns). {@code leaseId} is set when an earlier lease attempt got no answer: asking again
 * with the same id is idempotent, so a lease that did persist is not granted twice.
 */
public record ReadyJob(String jobId, String tenant, String type, int priority, Instant readyAt, LeaseId leaseId) {

  public static final Comparator<ReadyJob> DISPATCH_ORDER = Comparator
      .comparingInt(ReadyJob::priority).reversed()
      .thenComparing(ReadyJob::readyAt)
      .thenComparing(ReadyJob::jobId);

  public static ReadyJob of(String jobId, String tenant, String type, int priority, Instant readyAt) {
    return new ReadyJob(jobId, tenant, type, priority, readyAt, null);
  }

  ReadyJob withLeaseId(LeaseId id) {
    return new ReadyJob(jobId, tenant, type, priority, readyAt, id);
  }
}
