package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonCodecTest {

  @ParameterizedTest
  @ValueSource(strings = {"12", "1.5", "true", "-0", "1e3"})
  void aNumberOrBooleanWhereTextBelongsIsTheWrongTypeNotText(String value) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> JsonCodec.read("{\"type\":" + value + "}", JobRequest.class));
    assertEquals("type", e.field());
    InvalidRequestException inList = assertThrows(InvalidRequestException.class,
        () -> JsonCodec.read("{\"type\":\"noop\",\"tags\":[" + value + "]}", JobRequest.class));
    assertEquals("tags[0]", inList.field());
  }

  @Test
  void bodyBytesMustBeValidUtf8() {
    assertEquals(Optional.of("{\"type\":\"caf\u00e9\"}"), JsonCodec.utf8("{\"type\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(Optional.empty(), JsonCodec.utf8("{\"type\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1)));
    assertEquals(Optional.empty(), JsonCodec.utf8(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}), "an encoded surrogate");
    assertEquals(Optional.empty(), JsonCodec.utf8(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}), "an overlong encoding");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"12\"", "\"true\""})
  void textThatLooksLikeANumberIsStillText(String value) {
    JobRequest body = JsonCodec.read("{\"type\":" + value + ",\"tags\":[" + value + "]}", JobRequest.class);
    String text = value.substring(1, value.length() - 1);
    assertEquals(text, body.type());
    assertEquals(List.of(text), body.tags());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":[1,2.5,null]}", "[1,\"two\"]", "\"text\"", "42", "true"})
  void aPayloadIsAnyJsonValueKeptAsItsJsonText(String payload) {
    JobRequest body = JsonCodec.read("""
        {"type": "noop", "payload": %s, "queue": "q"}""".formatted(payload), JobRequest.class);
    assertEquals(payload, body.payload());
    assertEquals("q", body.queue(), "the fields after the payload are read too");
  }

  @Test
  void aNullOrAbsentPayloadIsNone() {
    assertEquals(null, JsonCodec.read("""
        {"type": "noop", "payload": null}""", JobRequest.class).payload());
    assertEquals(null, JsonCodec.read("""
        {"type": "noop"}""", JobRequest.class).payload());
  }

  @Test
  void aRequestIsWrittenWithItsPayloadAsAValueAndReadBackTheSame() {
    JobRequest request = JobRequest.of("noop").withPayload("{\"n\":1}").withPriority(3);
    assertEquals("""
        {"type":"noop","payload":{"n":1},"priority":3}""", JsonCodec.write(request));
    assertEquals(request, JsonCodec.read(JsonCodec.write(request), JobRequest.class));
  }
}
