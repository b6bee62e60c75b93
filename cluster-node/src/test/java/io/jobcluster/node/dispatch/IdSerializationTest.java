package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.jobcluster.protocol.CborSerializable;
import io.jobcluster.protocol.JobId;
import io.jobcluster.protocol.LeaseId;
import java.util.Map;
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

  /** Like {@code RequestWork.running}: lease id to job id. */
  record TypedRunning(Map<LeaseId, JobId> running) implements CborSerializable {}

  record PlainRunning(Map<String, String> running) implements CborSerializable {}

  @Test
  void aMessageWithIdsHasTheBytesOfOneWithStrings() {
    assertSameFormAs(new Plain(JOB, 2, "lease-1"), new Typed(JobId.of(JOB), 2, LeaseId.of("lease-1")));
  }

  @Test
  void aMapOfLeaseIdsToJobIdsHasTheBytesOfOneOfStrings() {
    assertSameFormAs(new PlainRunning(Map.of("lease-1", JOB)), new TypedRunning(Map.of(LeaseId.of("lease-1"), JobId.of(JOB))));
  }

  /** {@code typed} serializes to the bytes of {@code plain}, and those bytes read back as {@code typed}. */
  private static void assertSameFormAs(Object plain, Object typed) {
    ActorTestKit node = ActorTestKit.create(
        ConfigFactory.parseResources("serialization.conf").withFallback(ConfigFactory.defaultReference()).resolve());
    try {
      Serialization serialization = SerializationExtension.get(Adapter.toClassic(node.system()));
      byte[] plainBytes = serialization.serialize(plain).get();

      assertArrayEquals(plainBytes, serialization.serialize(typed).get());
      var serializer = serialization.findSerializerFor(typed);
      assertEquals(typed, serialization.deserialize(plainBytes, serializer.identifier(), Serializers.manifestFor(serializer, typed)).get());
    } finally {
      node.shutdownTestKit();
    }
  }
}
