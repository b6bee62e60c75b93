package io.jobcluster.node.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.jobcluster.protocol.CborSerializable;
import io.jobcluster.protocol.JobReply;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link JobEntity.Fail} crosses nodes: a node that predates {@code notBefore} still talks to one that has it. */
class FailSerializationTest {

  /** The shape of Fail before notBefore. */
  record OldFail(String tenant, String leaseId, String error, boolean retryable, ActorRef<JobReply> replyTo) implements CborSerializable {}

  private static final ActorTestKit node = ActorTestKit.create(
      ConfigFactory.parseResources("serialization.conf").withFallback(ConfigFactory.defaultReference()).resolve());
  private static final Serialization serialization = SerializationExtension.get(Adapter.toClassic(node.system()));

  @AfterAll
  static void stop() {
    node.shutdownTestKit();
  }

  @Test
  void aFailFromANodeWithoutNotBeforeReadsAsOneWithoutIt() {
    ActorRef<JobReply> replyTo = node.<JobReply>createTestProbe().ref();
    byte[] old = serialization.serialize(new OldFail("acme", "lease-1", "boom", true, replyTo)).get();

    assertEquals(new JobEntity.Fail("acme", "lease-1", "boom", true, null, replyTo), read(old, new JobEntity.Fail(null, "", "", true, replyTo)));
  }

  @Test
  void aFailWithNotBeforeRoundTrips() {
    ActorRef<JobReply> replyTo = node.<JobReply>createTestProbe().ref();
    JobEntity.Fail fail = new JobEntity.Fail(null, "lease-1", "status 429", true, Instant.parse("2026-03-01T12:00:03.5Z"), replyTo);

    assertEquals(fail, read(serialization.serialize(fail).get(), fail));
  }

  private static Object read(byte[] bytes, Object like) {
    var serializer = serialization.findSerializerFor(like);
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, like)).get();
  }
}
