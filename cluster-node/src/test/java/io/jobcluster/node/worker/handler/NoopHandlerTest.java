package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class NoopHandlerTest {

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"{}", "{\"anything\":[1,2]}", "not even json"})
  void succeedsAtOnceWithoutResultWhateverThePayload(String payload) {
    HandlerResult result = new NoopHandler().handle(new TestJobContext("noop", payload, null))
        .toCompletableFuture().getNow(null);

    assertEquals(new HandlerResult.Success(null), result);
  }
}
