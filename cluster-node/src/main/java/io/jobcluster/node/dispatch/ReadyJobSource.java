package io.jobcluster.node.dispatch;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Where a dispatcher rebuilds its ready set from: the read model's PENDING jobs of a queue. */
@FunctionalInterface
public interface ReadyJobSource {
  CompletionStage<List<ReadyJob>> readyJobs(String queue, int limit);
}
