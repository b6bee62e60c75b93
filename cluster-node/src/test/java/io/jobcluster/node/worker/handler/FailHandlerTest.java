package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailHandlerTest {

  @Test
  void failsTheFirstAttemptRetryablyByDefaultThenSucceeds() {
    assertEquals(new HandlerResult.Failure("failing attempt 1 of 1", true), run(null, 1));
    assertEquals(new HandlerResult.Success("{\"attempt\":2}"), run(null, 2));
  }

  @Test
  void failsAttemptsUpToTimesWithTheGivenRetryability() {
    String payload = "{\"times\":3,\"retryable\":false}";

    assertEquals(new HandlerResult.Failure("failing attempt 1 of 3", false), run(payload, 1));
    assertEquals(new HandlerResult.Failure("failing attempt 3 of 3", false), run(payload, 3));
    assertEquals(new HandlerResult.Success("{\"attempt\":4}"), run(payload, 4));
  }

  @Test
  void zeroTimesSucceedsOnTheFirstAttempt() {
    assertEquals(new HandlerResult.Success("{\"attempt\":1}"), run("{\"times\":0}", 1));
  }

  @Test
  void nullFieldsTakeTheirDefaultsAndUnknownFieldsAreIgnored() {
    String payload = "{\"times\":null,\"retryable\":null,\"note\":\"x\"}";

    assertEquals(new HandlerResult.Failure("failing attempt 1 of 1", true), run(payload, 1));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"times\":-1}          | payload field 'times' must be between 0 and 2147483647",
    "{\"times\":2147483648}  | payload field 'times' must be between 0 and 2147483647",
    "{\"times\":1.0}         | payload field 'times' must be an integer",
    "{\"retryable\":1}       | payload field 'retryable' must be true or false",
    "{\"times\":\"2\"}       | payload field 'times' must be an integer",
    "{\"retryable\":\"yes\"} | payload field 'retryable' must be true or false",
    "[]                      | payload must be a JSON object"
  })
  void invalidPayloadIsANonRetryableFailureNamingTheField(String payload, String error) {
    assertEquals(new HandlerResult.Failure(error, false), run(payload, 1));
  }

  private static HandlerResult run(String payload, int attempt) {
    return Results.await(new FailHandler().handle(new TestJobContext("fail", payload, null).attempt(attempt)));
  }
}
