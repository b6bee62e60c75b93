package io.jobcluster.node.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobcluster.protocol.JobEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;

/** Events as the journal stores them: times as numbers, full precision, and the older text form still readable. */
class EventSerializationTest {
  private static final Instant AT = Instant.parse("2026-12-02T10:15:30.123456789Z");
  private static final JobEvent EVENT = new JobEvent.Leased("job-1", 1, "lease-1", "w", "n", AT.plusSeconds(300), AT.minusMillis(3), AT);

  @Test
  void eventsStoreTimesAsNumbersWithEveryNanosecond() {
    ActorTestKit node = ActorTestKit.create(nodeSerialization());
    try {
      Serialization serialization = SerializationExtension.get(Adapter.toClassic(node.system()));
      byte[] bytes = serialization.serialize(EVENT).get();

      assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("2026-12-02T10"), "no ISO text in the stored event");
      assertEquals(EVENT, deserialize(serialization, bytes));
    } finally {
      node.shutdownTestKit();
    }
  }

  @Test
  void eventsStoredWithTimesAsTextStillReadBack() {
    ActorTestKit before = ActorTestKit.create(ConfigFactory.parseString(
        "pekko.serialization.jackson.jackson-cbor.serialization-features.WRITE_DATES_AS_TIMESTAMPS = off").withFallback(nodeSerialization()));
    ActorTestKit node = ActorTestKit.create(nodeSerialization());
    try {
      byte[] written = SerializationExtension.get(Adapter.toClassic(before.system())).serialize(EVENT).get();
      assertEquals(EVENT, deserialize(SerializationExtension.get(Adapter.toClassic(node.system())), written));
    } finally {
      before.shutdownTestKit();
      node.shutdownTestKit();
    }
  }

  private static Object deserialize(Serialization serialization, byte[] bytes) {
    var serializer = serialization.findSerializerFor(EVENT);
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, EVENT)).get();
  }

  private static Config nodeSerialization() {
    return ConfigFactory.parseResources("serialization.conf").withFallback(ConfigFactory.defaultReference()).resolve();
  }
}
