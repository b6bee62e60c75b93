package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
  void noPayloadAndJsonNullAreAbsent(String payload) {
    assertEquals(new Sample(null, null, null, null, null), Payloads.read(payload, Sample.class));
    assertEquals(new Sample(null, null, null, null, null), Payloads.read(null, Sample.class));
  }

  @Test
  void ignoresFieldsTheRecordDoesNotName() {
    assertEquals(new Sample(null, "x", null, null, null), Payloads.read("{\"s\":\"x\",\"other\":1}", Sample.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"a\":1} trailing", "{\"a\":1} {\"b\":2}", "{\"a\":1,\"a\":2}", "not json"})
  void readRefusesMalformedOrAmbiguousJson(String payload) {
    assertInvalid("payload is not valid JSON", () -> Payloads.read(payload, Sample.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1]", "42", "\"text\"", "null"})
  void readRefusesAPayloadThatIsNoObject(String payload) {
    assertInvalid("payload must be a JSON object", () -> Payloads.read(payload, Sample.class));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"n\":7.5}             | payload field 'n' must be an integer",
    "{\"n\":7.0}             | payload field 'n' must be an integer",
    "{\"n\":\"7\"}         | payload field 'n' must be an integer",
    "{\"n\":99999999999999999999999} | payload field 'n' must be between 0 and 10",
    "{\"n\":-1}              | payload field 'n' must be between 0 and 10",
    "{\"s\":1}               | payload field 's' must be a string",
    "{\"s\":{}}              | payload field 's' must be a string",
    "{\"b\":\"true\"}      | payload field 'b' must be true or false",
    "{\"b\":1}               | payload field 'b' must be true or false",
    "{\"m\":[]}              | payload field 'm' must be an object of strings",
    "{\"m\":{\"k\":1}}     | payload field 'm' must be an object of strings ('k' is not)",
    "{\"list\":\"a\"}      | payload field 'list' has the wrong type"
  })
  void namesTheFieldOfTheWrongTypeInTheWordingOfItsType(String payload, String message) {
    assertInvalid(message, () -> Payloads.read(payload, Sample.class));
  }

  @Test
  void aRuleThatFailsOtherwiseIsABugNotAnInvalidPayload() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Payloads.read("{}", Broken.class));

    assertInstanceOf(IllegalArgumentException.class, e.getCause().getCause());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "{}"})
  void noPayloadIsAnEmptyObject(String payload) {
    assertEquals(0, Payloads.object(payload).size());
    assertEquals(0, Payloads.object(null).size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"a\":1} trailing", "{\"a\":1,\"a\":2}", "not json"})
  void malformedOrAmbiguousJsonIsInvalid(String payload) {
    InvalidPayloadException e = assertThrows(InvalidPayloadException.class, () -> Payloads.object(payload));

    assertEquals("payload is not valid JSON", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1]", "42", "\"text\"", "null"})
  void payloadMustBeAnObject(String payload) {
    InvalidPayloadException e = assertThrows(InvalidPayloadException.class, () -> Payloads.object(payload));

    assertEquals("payload must be a JSON object", e.getMessage());
  }

  @Test
  void jsonNullCountsAsAbsent() {
    ObjectNode payload = Payloads.object("{\"n\":null,\"s\":null,\"b\":null}");

    assertEquals(OptionalLong.empty(), Payloads.optionalLong(payload, "n", 0, 10));
    assertEquals(Optional.empty(), Payloads.optionalText(payload, "s"));
    assertEquals(Optional.empty(), Payloads.optionalBoolean(payload, "b"));
  }

  @Test
  void integersAreIntegralAndWithinBounds() {
    ObjectNode payload = Payloads.object(
        "{\"ok\":7,\"fraction\":7.5,\"text\":\"7\",\"big\":99999999999999999999999,\"low\":-1}");

    assertEquals(7, Payloads.requiredLong(payload, "ok", 0, 10));
    assertInvalid("payload field 'fraction' must be an integer", () -> Payloads.optionalLong(payload, "fraction", 0, 10));
    assertInvalid("payload field 'text' must be an integer", () -> Payloads.optionalLong(payload, "text", 0, 10));
    assertInvalid("payload field 'big' must be between 0 and 10", () -> Payloads.optionalLong(payload, "big", 0, 10));
    assertInvalid("payload field 'low' must be between 0 and 10", () -> Payloads.optionalLong(payload, "low", 0, 10));
    assertInvalid("payload field 'missing' is required", () -> Payloads.requiredLong(payload, "missing", 0, 10));
  }

  @Test
  void textAndBooleansMustHaveTheirJsonType() {
    ObjectNode payload = Payloads.object("{\"s\":\"x\",\"n\":1,\"b\":true}");

    assertEquals("x", Payloads.requiredText(payload, "s"));
    assertEquals(Optional.of(true), Payloads.optionalBoolean(payload, "b"));
    assertInvalid("payload field 'n' must be a string", () -> Payloads.requiredText(payload, "n"));
    assertInvalid("payload field 'missing' is required", () -> Payloads.requiredText(payload, "missing"));
    assertInvalid("payload field 's' must be true or false", () -> Payloads.optionalBoolean(payload, "s"));
  }

  @Test
  void invalidPayloadBecomesANonRetryableFailure() {
    assertEquals(new HandlerResult.Failure("bad", false), new InvalidPayloadException("bad").toFailure());
  }

  @Test
  void writesJsonText() {
    String json = Payloads.toJson(Payloads.newObject().put("a", 1).put("b", "\"quoted\""));

    assertEquals("{\"a\":1,\"b\":\"\\\"quoted\\\"\"}", json);
    assertTrue(Payloads.object(json).has("b"));
  }

  private static void assertInvalid(String message, Runnable read) {
    InvalidPayloadException e = assertThrows(InvalidPayloadException.class, read::run);
    assertEquals(message, e.getMessage());
  }
}
