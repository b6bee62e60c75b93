package io.jobcluster.node.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobcluster.protocol.wire.Readiness;
import org.junit.jupiter.api.Test;

class NodeJsonTest {

  record Written(int a, String b) {}

  @Test
  void writesJsonTextItReadsBack() throws JsonProcessingException {
    String json = NodeJson.write(new Written(1, "\"quoted\""));

    assertEquals("{\"a\":1,\"b\":\"\\\"quoted\\\"\"}", json);
    assertEquals(new Written(1, "\"quoted\""), NodeJson.mapper().readValue(json, Written.class));
  }

  @Test
  void theReadinessAnswerHasTheFieldsTheDocumentDescribesAndNoOther() {
    assertEquals("""
        {"status":"not_ready","members":1,"clusterJoined":true,"shardingStarted":false,"databaseReachable":true}""",
        NodeJson.write(Readiness.of(true, false, true, 1)));
  }
}
