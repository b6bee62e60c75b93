package io.jobcluster.node.dispatch;

import io.jobcluster.node.readmodel.RunningAttempt;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** What a dispatcher reads from the read model: never on the hot path, only to reconcile. */
public interface DispatchReadModel {

  /** The queue's PENDING jobs in dispatch order, but for those of {@code skipTypes}. */
  CompletionStage<List<ReadyJob>> readyJobs(String queue, int limit, List<String> skipTypes);

  /** The queue's RUNNING jobs, with their tenant and the node holding the lease (null if unknown). */
  CompletionStage<List<RunningAttempt>> runningAttempts(String queue, int limit);
}
