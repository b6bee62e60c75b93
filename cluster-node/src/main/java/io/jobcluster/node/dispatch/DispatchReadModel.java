package io.jobcluster.node.dispatch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** What a dispatcher reads from the read model: never on the hot path, only to reconcile. */
public interface DispatchReadModel {

  /** The queue's PENDING jobs in dispatch order. */
  CompletionStage<List<ReadyJob>> readyJobs(String queue, int limit);

  /** The queue's RUNNING jobs: job id to the node holding the lease. */
  CompletionStage<Map<String, String>> runningAttempts(String queue, int limit);
}
