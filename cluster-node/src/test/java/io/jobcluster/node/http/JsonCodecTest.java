package io.jobcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jobcluster.protocol.InvalidRequestException;
import java.util.List;
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

  @ParameterizedTest
  @ValueSource(strings = {"\"12\"", "\"true\""})
  void textThatLooksLikeANumberIsStillText(String value) {
    SubmitJobBody body = JsonCodec.read("{\"type\":" + value + ",\"tags\":[" + value + "]}", SubmitJobBody.class);
    String text = value.substring(1, value.length() - 1);
    assertEquals(text, body.type());
    assertEquals(List.of(text), body.tags());
  }
}
