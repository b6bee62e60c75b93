package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadsTest {

  /** A payload with a field of every kind whose wrong type {@link Payloads#read} puts in words. */
  record Sample(BigInteger n, String s, Boolean b, Map<String, String> m, List<String> list) {
    Sample {
      if (n != null) {
        Payloads.within("n", n, 0, 10);
      }
    }
  }

  /** A record whose rule has a bug: it throws something else than InvalidPayloadException. */
  record Broken(String s) {
    Broken {
      throw new IllegalArgumentException("bug");
    }
  }

  @Test
  void bindsThePayloadToTheRecord() {
    Sample sample = Payloads.read("""
        {"n": 7, "s": "x", "b": true, "m": {"k": "v"}, "list": ["a"]}""", Sample.class);

    assertEquals(new Sample(BigInteger.valueOf(7), "x", true, Map.of("k", "v"), List.of("a")), sample);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "{}", "{\"n\":null,\"s\":null,\"b\":null,\"m\":null,\"list\":null}"})
  void noPayloadIsAnEmptyObjectAndJsonNullCountsAsAbsent(String payload) {
    assertEquals(new Sample(null, null, null, null, null), Payloads.read(payload, Sample.class));
    assertEquals(new Sample(null, null, null, null, null), Payloads.read(null, Sample.class));
  }

  @Test
  void ignoresFieldsTheRecordDoesNotName() {
    assertEquals(new Sample(null, "x", null, null, null), Payloads.read("{\"s\":\"x\",\"other\":1}", Sample.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"a\":1} trailing", "{\"a\":1} {\"b\":2}", "{\"a\":1,\"a\":2}", "not json"})
  void malformedOrAmbiguousJsonIsInvalid(String payload) {
    assertInvalid("payload is not valid JSON", () -> Payloads.read(payload, Sample.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1]", "42", "\"text\"", "null"})
  void payloadMustBeAnObject(String payload) {
    assertInvalid("payload must be a JSON object", () -> Payloads.read(payload, Sample.class));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"n\":7.5}                 | payload field 'n' must be an integer",
    "{\"n\":7.0}                 | payload field 'n' must be an integer",
    "{\"n\":\"7\"}               | payload field 'n' must be an integer",
    "{\"n\":99999999999999999999999} | payload field 'n' must be between 0 and 10",
    "{\"n\":-1}                  | payload field 'n' must be between 0 and 10",
    "{\"s\":1}                   | payload field 's' must be a string",
    "{\"s\":{}}                  | payload field 's' must be a string",
    "{\"b\":\"true\"}            | payload field 'b' must be true or false",
    "{\"b\":1}                   | payload field 'b' must be true or false",
    "{\"m\":[]}                  | payload field 'm' must be an object of strings",
    "{\"m\":{\"k\":1}}           | payload field 'm' must be an object of strings ('k' is not)",
    "{\"list\":\"a\"}            | payload field 'list' has the wrong type"
  })
  void namesTheFieldOfTheWrongTypeInTheWordingOfItsType(String payload, String message) {
    assertInvalid(message, () -> Payloads.read(payload, Sample.class));
  }

  @Test
  void aMissingRequiredValueIsNamed() {
    assertEquals("x", Payloads.required("s", "x"));
    assertInvalid("payload field 'missing' is required", () -> Payloads.required("missing", null));
  }

  @Test
  void aRuleThatFailsOtherwiseIsABugNotAnInvalidPayload() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Payloads.read("{}", Broken.class));

    assertInstanceOf(IllegalArgumentException.class, e.getCause().getCause());
  }

  @Test
  void invalidPayloadBecomesANonRetryableFailure() {
    assertEquals(new HandlerResult.Failure("bad", false), new InvalidPayloadException("bad").toFailure());
  }

  private static void assertInvalid(String message, Runnable read) {
    InvalidPayloadException e = assertThrows(InvalidPayloadException.class, read::run);
    assertEquals(message, e.getMessage());
  }
}
