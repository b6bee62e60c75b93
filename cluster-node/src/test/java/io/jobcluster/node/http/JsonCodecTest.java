package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jobcluster.protocol.InvalidRequestException;
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
        () -> JsonCodec.read("{\"type\":" + value + "}", SubmitJobBody.class));
    assertEquals("type", e.field());
    InvalidRequestException inList = assertThrows(InvalidRequestException.class,
        () -> JsonCodec.read("{\"type\":\"noop\",\"tags\":[" + value + "]}", SubmitJobBody.class));
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
    SubmitJobBody body = JsonCodec.read("{\"type\":" + value + ",\"tags\":[" + value + "]}", SubmitJobBody.class);
    String text = value.substring(1, value.length() - 1);
    assertEquals(text, body.type());
    assertEquals(List.of(text), body.tags());
  }
}
