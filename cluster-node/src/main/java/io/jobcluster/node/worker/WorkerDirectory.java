package io.jobcluster.node.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/** The worker pools registered anywhere in the cluster, each asked for its state. */
public final class WorkerDirectory {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);

  private final ActorSystem<?> system;

  public WorkerDirectory(ActorSystem<?> system) {
    this.system = system;
  }

  /** Every registered pool that answered in time, by worker id; a pool that did not answer is left out. */
  public CompletionStage<List<WorkerPool.PoolInfo>> pools() {
    CompletionStage<Receptionist.Listing> listing = AskPattern.ask(system.receptionist(),
        replyTo -> Receptionist.find(WorkerPool.SERVICE_KEY, replyTo), ASK_TIMEOUT, system.scheduler());
    return listing.thenCompose(found -> {
      List<CompletableFuture<WorkerPool.PoolInfo>> answers = new ArrayList<>();
      for (ActorRef<WorkerPool.Command> pool : found.getServiceInstances(WorkerPool.SERVICE_KEY)) {
        answers.add(AskPattern.<WorkerPool.Command, WorkerPool.PoolInfo>ask(pool, WorkerPool.GetStatus::new, ASK_TIMEOUT, system.scheduler())
            .toCompletableFuture().exceptionally(failure -> null));
      }
      return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> answers.stream()
          .map(CompletableFuture::join)
          .filter(info -> info != null)
          .sorted(Comparator.comparing(WorkerPool.PoolInfo::workerId))
          .toList());
    });
  }
}
