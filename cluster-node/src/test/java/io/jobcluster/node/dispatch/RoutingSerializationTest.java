package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.ConfigFactory;
import io.jobcluster.node.job.AttemptCancelled;
import io.jobcluster.node.worker.Assigned;
import io.jobcluster.node.worker.WorkerPool;
import io.jobcluster.protocol.JobId;
import io.jobcluster.protocol.LeaseId;
import io.jobcluster.protocol.WorkerId;
import io.jobcluster.protocol.wire.DispatcherInfo;
import io.jobcluster.protocol.wire.DispatcherPool;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The messages that carry job types between nodes (a pool's request, a ready job, the status answers) read back as written (CBOR). */
class RoutingSerializationTest {
  private static ActorTestKit node;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    node = ActorTestKit.create(ConfigFactory.parseResources("serialization.conf").withFallback(ConfigFactory.defaultReference()).resolve());
    serialization = SerializationExtension.get(Adapter.toClassic(node.system()));
  }

  @AfterAll
  static void stop() {
    node.shutdownTestKit();
  }

  private static Object roundTrip(Object message) {
    byte[] bytes = serialization.serialize(message).get();
    var serializer = serialization.findSerializerFor(message);
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
  }

  @Test
  void aPoolsRequestCarriesItsTypesAndAnExternalLeaseOfEveryTypeCarriesNone() {
    ActorRef<Assigned> pool = node.<Assigned>createTestProbe().getRef();
    ActorRef<AttemptCancelled> cancellations = node.<AttemptCancelled>createTestProbe().getRef();
    var typed = new QueueDispatcher.RequestWork(QueueDispatcher.Requester.workerPool(pool, cancellations,
        new WorkerId("127.0.0.1:25520#1", "media"), Set.of("convert", "thumbnail")), 8, "epoch", 3, Map.of(LeaseId.of("l"), JobId.of("0f8fad5b-d9cb-469f-a165-70867728950e")));
    assertEquals(typed, roundTrip(typed));
    assertEquals(Set.of("convert", "thumbnail"), ((QueueDispatcher.RequestWork) roundTrip(typed)).requester().types());

    var everyType = QueueDispatcher.RequestWork.first(QueueDispatcher.Requester.externalLease(pool, "py-1", "acme", Set.of()), 2);
    assertNull(everyType.requester().types(), "no types: every type");
    assertEquals(everyType, roundTrip(everyType));
  }

  @Test
  void aReadyJobAndTheStatusAnswersCarryTheirTypes() {
    var ready = new QueueDispatcher.JobReady("job-1", "acme", "convert", 5, Instant.parse("2026-12-03T10:00:00Z"));
    assertEquals(ready, roundTrip(ready));
    var info = new WorkerPool.PoolInfo("n/media", "n", "media", 8, 1, false, List.of("convert", "thumbnail"));
    assertEquals(info, roundTrip(info));
    var dispatcher = new DispatcherInfo("media", "n", 3, 0, List.of(new DispatcherPool("n/media", "n", 2, 1, false, List.of("convert")),
        new DispatcherPool("py-1", null, 1, 0, false, null)), List.of("convert"), 2);
    assertEquals(dispatcher, roundTrip(dispatcher));
  }
}
