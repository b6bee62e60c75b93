package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.jobcluster.protocol.CborSerializable;
import io.jobcluster.protocol.JobId;
import io.jobcluster.protocol.LeaseId;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;

/** Value-typed ids cross nodes in the same CBOR form as the strings they replace. */
class IdSerializationTest {
  private static final String JOB = "0f8fad5b-d9cb-469f-a165-70867728950e";

  record Typed(JobId jobId, int attempt, LeaseId leaseId) implements CborSerializable {}

  record Plain(String jobId, int attempt, String leaseId) implements CborSerializable {}

  @Test
  void aMessageWithIdsHasTheBytesOfOneWithStrings() {
    ActorTestKit node = ActorTestKit.create(
        ConfigFactory.parseResources("serialization.conf").withFallback(ConfigFactory.defaultReference()).resolve());
    try {
      Serialization serialization = SerializationExtension.get(Adapter.toClassic(node.system()));
      Typed typed = new Typed(JobId.of(JOB), 2, LeaseId.of("lease-1"));
      byte[] plainBytes = serialization.serialize(new Plain(JOB, 2, "lease-1")).get();

      assertArrayEquals(plainBytes, serialization.serialize(typed).get());
      var serializer = serialization.findSerializerFor(typed);
      assertEquals(typed, serialization.deserialize(plainBytes, serializer.identifier(), Serializers.manifestFor(serializer, typed)).get());
    } finally {
      node.shutdownTestKit();
    }
  }
}
