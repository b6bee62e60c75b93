package io.jobcluster.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jobcluster.node.worker.WorkerQueues.WorkerQueue;
import io.jobcluster.node.worker.handler.DisabledJobTypes;
import io.jobcluster.node.worker.handler.FailHandler;
import io.jobcluster.node.worker.handler.JobHandlers;
import io.jobcluster.node.worker.handler.NoopHandler;
import io.jobcluster.node.worker.handler.SleepHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which job types a node's pool takes: the ones it names, each with a handler, or every type a handler runs. */
class WorkerPoolTypesTest {
  private static final JobHandlers HANDLERS = JobHandlers.of(new NoopHandler(), new SleepHandler(), new FailHandler())
      .disabling(new DisabledJobTypes(Set.of("fail"), Map.of()));

  @Test
  void aPoolNamingNoTypesTakesEveryTypeAHandlerRunsDisabledOnesIncludedSoTheirJobsFailWithTheReason() {
    assertEquals(Set.of("noop", "sleep", "fail"), Set.copyOf(WorkerPools.typesOf(new WorkerQueue("default", 4, List.of()), HANDLERS)));
  }

  @Test
  void aPoolTakesTheTypesItNames() {
    assertEquals(List.of("noop", "sleep"), WorkerPools.typesOf(new WorkerQueue("media", 4, List.of("sleep", "noop")), HANDLERS));
  }

  @Test
  void aPoolNamingATypeWithoutAHandlerOrWithNoHandlersAtAllIsRefused() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> WorkerPools.typesOf(new WorkerQueue("media", 4, List.of("noop", "convert")), HANDLERS));
    assertEquals("worker queue 'media' names job type 'convert', but no handler on this node runs it (handlers: noop, sleep, fail)",
        unknown.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> WorkerPools.typesOf(new WorkerQueue("media", 4, List.of()), JobHandlers.of()));
    assertEquals("worker queue 'media' would take every job type, but no job handler is registered", none.getMessage());
  }
}
