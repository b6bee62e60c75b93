package io.jobcluster.node.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

class NodeJsonTest {

  record Written(int a, String b) {}

  @Test
  void writesJsonTextItReadsBack() throws JsonProcessingException {
    String json = NodeJson.write(new Written(1, "\"quoted\""));

    assertEquals("{\"a\":1,\"b\":\"\\\"quoted\\\"\"}", json);
    assertEquals(new Written(1, "\"quoted\""), NodeJson.mapper().readValue(json, Written.class));
  }
}
