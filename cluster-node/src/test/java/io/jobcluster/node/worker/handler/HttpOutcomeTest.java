package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpOutcomeTest {

  @ParameterizedTest
  @CsvSource({"200, true", "204, true", "299, true", "199, false", "301, false", "404, false"})
  void anyTwoHundredSucceedsWhenNoStatusIsExpected(int status, boolean succeeds) {
    HandlerResult result = HttpOutcome.of(status, "", null);

    assertEquals(succeeds, result instanceof HandlerResult.Success, result.toString());
  }

  @ParameterizedTest
  @CsvSource({"500, true", "502, true", "503, true", "429, true", "408, true",
      "400, false", "401, false", "403, false", "404, false", "409, false", "302, false"})
  void onlyServerTroubleAndThrottlingAreRetryable(int status, boolean retryable) {
    assertEquals(new HandlerResult.Failure("status " + status, retryable), HttpOutcome.of(status, "", null));
  }

  @Test
  void failureQuotesTheStartOfALongBody() {
    HandlerResult result = HttpOutcome.of(400, "e".repeat(500), null);

    assertEquals(new HandlerResult.Failure("status 400: " + "e".repeat(200) + "…", false), result);
  }

  @Test
  void successResultHoldsStatusAndBodyAsJson() {
    assertEquals(new HandlerResult.Success("{\"status\":201,\"body\":\"a \\\"quoted\\\" body\"}"),
        HttpOutcome.of(201, "a \"quoted\" body", 201));
  }
}
