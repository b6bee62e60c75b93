package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jobcluster.node.JobclusterNode;
import io.jobcluster.node.TestNodes;
import io.jobcluster.node.worker.WorkerPool;
import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import java.time.Duration;
import java.util.stream.IntStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A node that stops logs no error from its worker pools, whether it leaves through coordinated
 * shutdown (the pools drain first) or its actor system is terminated at once (streams and actors
 * stop together).
 */
class WorkerPoolShutdownTest {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void closingANodeStopsItsWorkerPoolsWithoutErrors() throws Exception {
    assertNoPoolErrors(node -> node.close());
  }

  @Test
  void terminatingANodesActorSystemStopsItsWorkerPoolsWithoutErrors() throws Exception {
    assertNoPoolErrors(node -> node.system().terminate());
  }

  private void assertNoPoolErrors(java.util.function.Consumer<JobclusterNode> stop) throws Exception {
    Logger pools = (Logger) LoggerFactory.getLogger(WorkerPool.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    pools.addAppender(events);
    Level level = pools.getLevel();
    pools.setLevel(Level.INFO);
    try {
      JobclusterNode node = TestNodes.start(POSTGRES.settings(), "jobcluster.worker-queues = \"default:2,media:1\"\n");
      // Pools that have run work (their streams busy, then idle) are what shutdown has to stop.
      List<String> ids = Jobs.submitAll(node.jobs(), IntStream.range(0, 20)
          .mapToObj(i -> JobRequest.of("noop").withQueue(i % 2 == 0 ? "default" : "media")).toList());
      Jobs.awaitStatus(node.jobs(), ids, JobStatus.COMPLETED, Duration.ofSeconds(60));
      stop.accept(node);
      node.system().getWhenTerminated().toCompletableFuture().join();
    } finally {
      pools.detachAppender(events);
      pools.setLevel(level);
    }
    List<String> errors = events.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(List.of(), errors);
  }
}
