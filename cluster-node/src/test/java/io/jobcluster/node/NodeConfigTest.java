package io.jobcluster.node;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scala.jdk.javaapi.DurationConverters.toJava;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import io.jobcluster.node.readmodel.ReadModelSettings;
import io.jobcluster.node.job.JobEntitySettings;
import io.jobcluster.node.worker.WorkerPools;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.PersistenceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.sharding.ClusterShardingSettings;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
  private static final Pattern CLASS_NAME = Pattern.compile("([a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*");

  @TempDir
  Path dataDir;

  private Config load(String overrides) {
    return NodeConfig.load(DatabaseSettings.h2(dataDir), ConfigFactory.parseString(overrides));
  }

  @Test
  void theFullConfigurationResolvesAndEveryClassItNamesLoads() {
    Config config = load("");
    assertTrue(config.isResolved());

    // Every key our own files set (application.conf, its includes, the database overlay).
    Config ours = ConfigFactory.parseResourcesAnySyntax("application")
        .withFallback(PersistenceConfig.forDatabase(DatabaseSettings.h2(dataDir)));
    Set<String> classNames = new TreeSet<>();
    for (var entry : ours.entrySet()) {
      String path = entry.getKey();
      if (config.hasPath(path) && config.getValue(path).valueType() == ConfigValueType.STRING) {
        String value = config.getString(path);
        if (CLASS_NAME.matcher(value).matches()) {
          classNames.add(value);
        }
      }
    }
    // And the classes behind the plugin ids and serializer names we select.
    for (String plugin : List.of("pekko.persistence.journal.plugin", "pekko.persistence.snapshot-store.plugin", "pekko.persistence.state.plugin")) {
      classNames.add(config.getString(config.getString(plugin) + ".class"));
    }
    classNames.add(config.getString("jdbc-read-journal.class"));
    classNames.add(config.getString(JobEntitySettings.FRESH_JOURNAL + ".dao"));
    classNames.add(config.getString("pekko.actor.serializers.jackson-cbor"));
    classNames.addAll(ours.getConfig("pekko.actor.serialization-bindings").root().unwrapped().keySet().stream()
        .map(key -> key.replace("\"", "")).toList());
    classNames.addAll(config.getStringList("pekko.loggers"));

    assertTrue(classNames.contains("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"), classNames.toString());
    assertTrue(classNames.contains("io.jobcluster.protocol.CborSerializable"), classNames.toString());
    for (String className : classNames) {
      assertDoesNotThrow(() -> Class.forName(className), className);
    }
  }

  @Test
  void clusterSettingsAreWhatProductionNeeds() {
    Config config = load("");
    assertEquals("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider", config.getString("pekko.cluster.downing-provider-class"));
    assertEquals("keep-majority", config.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    assertEquals("cluster", config.getString("pekko.actor.provider"));
    // Jobs are woken from the read model (deadline sweep, dispatcher reconciliation), not remembered.
    assertEquals(false, config.getBoolean("pekko.cluster.sharding.remember-entities"));
    assertEquals("none", config.getString("pekko.cluster.sharding.passivation.strategy"));
    assertEquals("io.jobcluster.persistence.journal.FreshJournalDao", config.getString(JobEntitySettings.FRESH_JOURNAL + ".dao"));
    assertEquals(config.getString("jdbc-journal.class"), config.getString(JobEntitySettings.FRESH_JOURNAL + ".class"));
    assertEquals("jackson-cbor", config.getString("pekko.actor.serialization-bindings.\"io.jobcluster.protocol.CborSerializable\""));
    assertEquals(false, config.getBoolean("pekko.actor.allow-java-serialization"));
  }

  /**
   * The failover settings ARCHITECTURE documents, read back from Pekko itself: a misspelt key in
   * {@code cluster.conf} would be ignored silently and bring back the slower defaults.
   */
  @Test
  void pekkoTakesTheFailoverSettingsTheArchitectureDocuments() {
    Config config = load("jobcluster.cluster { host = \"127.0.0.1\", port = 0 }");
    ActorTestKit testKit = ActorTestKit.create("node-config", config);
    try {
      var classic = Adapter.toClassic(testKit.system());
      var cluster = Cluster.get(classic).settings();
      assertEquals(Duration.ofSeconds(1), toJava(cluster.HeartbeatInterval()));
      assertEquals(Duration.ofSeconds(3), cluster.FailureDetectorConfig().getDuration("acceptable-heartbeat-pause"));
      assertEquals(Duration.ofSeconds(5), config.getDuration("pekko.cluster.split-brain-resolver.stable-after"));
      assertEquals(Duration.ofSeconds(1), toJava(Cluster.get(classic).downingProvider().downRemovalMargin()),
          "a removed node's shards start elsewhere after this margin");
      assertEquals(Duration.ofSeconds(1), toJava(ClusterShardingSettings.create(classic).tuningParameters().retryInterval()),
          "a region asks again for a moved shard's home after this interval");
      assertEquals(Duration.ofSeconds(10), toJava(ClusterShardingSettings.create(classic).tuningParameters().waitingForStateTimeout()),
          "a shard waits this long for its remembered entities before it restarts after a 10 s backoff");
    } finally {
      testKit.shutdownTestKit();
    }
  }

  /**
   * The HTTP server listens with a backlog of 1,024. With pekko-http's 100, a few hundred clients
   * connecting at once to a busy node overflowed the accept queue; the kernel dropped their SYNs
   * and they retried after 1, 3, 7 s..., so requests stalled for up to 40 s with the node idle
   * (the benchmark's submit latency at 250/s, issue 10).
   */
  @Test
  void theHttpServerAcceptsAThousandPendingConnections() {
    Config config = load("");
    assertEquals(1024, ServerSettings.create(config).getBacklog());
  }

  @Test
  void theLargestRequestEntityIsTheBatchBodyLimit() {
    Config config = load("jobcluster.http.max-batch-body = 3MiB");
    assertEquals(3L * 1024 * 1024, config.getBytes("pekko.http.parsing.max-content-length"));
    assertEquals(8L * 1024 * 1024, load("").getBytes("pekko.http.parsing.max-content-length"));
  }

  @Test
  void arteryFramesHoldAJobWithTheLargestPayloadAndAResult() {
    assertEquals(64L * 1024, load("").getBytes("jobcluster.limits.max-payload"));
    assertEquals((64L + 256 + 128) * 1024, load("").getBytes(NodeConfig.MAXIMUM_FRAME_SIZE), "payload + a result of http.max-body + overhead");
    assertEquals((200L + 512 + 128) * 1024,
        load("jobcluster.limits.max-payload = 200KiB\njobcluster.http.max-body = 512KiB").getBytes(NodeConfig.MAXIMUM_FRAME_SIZE));
    assertEquals(4L * 1024 * 1024, load(NodeConfig.MAXIMUM_FRAME_SIZE + " = 4MiB").getBytes(NodeConfig.MAXIMUM_FRAME_SIZE),
        "a larger frame set by the operator stays");
  }

  @Test
  void theDrainPhaseOutlastsThePoolsDrainByTheMargin() {
    Config config = load("jobcluster.worker { drain-grace = 30s, drain-margin = 4s }");
    var worker = WorkerPools.Settings.from(config.getConfig("jobcluster.worker"));
    assertEquals(Duration.ofSeconds(30), worker.drainGrace());
    assertEquals(Duration.ofSeconds(4), worker.drainMargin());
    assertEquals(Duration.ofSeconds(38), config.getDuration("pekko.coordinated-shutdown.phases.service-requests-done.timeout"));
    var defaults = WorkerPools.Settings.from(load("").getConfig("jobcluster.worker"));
    assertEquals(Duration.ofSeconds(30), defaults.drainPhase(), "20 s of grace and twice 5 s of margin");
    assertEquals(6, defaults.reportTries());
    assertEquals(Duration.ofSeconds(1), defaults.requestInterval());
  }

  @Test
  void theTuningKnobsOfLostWorkersAndLeaseWindowsAreReadFromTheJobclusterNamespace() {
    Config config = load("jobcluster.job.lost-worker-asks.timeout = 3s");
    var asks = JobService.LostWorkerAsks.from(config.getConfig("jobcluster.job.lost-worker-asks"));
    assertEquals(new JobService.LostWorkerAsks(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(60)), asks);
    assertEquals(Duration.ofSeconds(5), config.getDuration("jobcluster.http.lease-linger"));
    assertEquals(Duration.ofSeconds(2), config.getDuration("jobcluster.http.retry-after"));
  }

  @Test
  void theDatabaseIsTheJobclusterDatabaseBlockAndWithoutAUrlTheEmbeddedH2InTheDataDir() {
    DatabaseSettings postgres = NodeConfig.database(ConfigFactory.parseString("""
        jobcluster.database { url = "jdbc:postgresql://db.internal:5432/jobs", user = "jc", password = "pw" }"""));
    assertEquals(DatabaseSettings.postgres("jdbc:postgresql://db.internal:5432/jobs", "jc", "pw"), postgres);

    DatabaseSettings embedded = NodeConfig.database(ConfigFactory.parseMap(Map.of("jobcluster.database.data-dir", dataDir.toString())));
    assertEquals(DatabaseSettings.h2(dataDir), embedded);
  }

  @Test
  void everyJobclusterKeyIsListedInTheConfigurationGuide() throws Exception {
    String guide = Files.readString(Path.of("../docs/CONFIGURATION.md"));
    // jobcluster.db and jobcluster.fresh-journal are derived from jobcluster.database, not settings.
    List<String> missing = load("").getConfig("jobcluster").entrySet().stream()
        .map(Map.Entry::getKey)
        .filter(key -> !key.startsWith("db.") && !key.startsWith("fresh-journal."))
        .filter(key -> !guide.contains("`" + key + "`"))
        .sorted()
        .toList();
    assertEquals(List.of(), missing, "keys of application.conf not in docs/CONFIGURATION.md");
  }

  @Test
  void withoutSeedNodesTheNodeSeedsItself() {
    Config config = load("jobcluster.cluster { host = \"127.0.0.1\", port = 25999 }");
    assertEquals(List.of("pekko://jobcluster@127.0.0.1:25999"), config.getStringList("pekko.cluster.seed-nodes"));
    assertEquals("127.0.0.1", config.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(25999, config.getInt("pekko.remote.artery.canonical.port"));
  }

  @Test
  void seedNodesAndRolesComeFromCommaSeparatedLists() {
    Config config = load("jobcluster.cluster { seed-nodes = \"10.0.0.1:25520, node-b:25521\", roles = \"worker,gateway\" }");
    assertEquals(List.of("pekko://jobcluster@10.0.0.1:25520", "pekko://jobcluster@node-b:25521"), config.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(List.of("worker", "gateway"), config.getStringList("pekko.cluster.roles"));
  }

  @Test
  void aSeedNodeWithoutPortIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load("jobcluster.cluster.seed-nodes = \"node-a\""));
    assertTrue(e.getMessage().contains("host:port"), e.getMessage());
  }

  @Test
  void theJobSettingsAreReadFromTheJobclusterNamespace() {
    Config config = load("jobcluster.job.max-worker-losses = 7");
    var settings = io.jobcluster.node.job.JobEntitySettings.fromConfig(config.getConfig("jobcluster.job"), io.jobcluster.node.job.JobReadyListener.NONE,
        io.jobcluster.node.job.JobEventObserver.NONE);
    assertEquals(7, settings.maxWorkerLosses());
    assertEquals(java.time.Duration.ofSeconds(5), settings.finishedIdleTimeout());
    assertEquals(java.time.Duration.ofMinutes(5), settings.wakeHorizon());
    assertEquals(JobEntitySettings.FRESH_JOURNAL, settings.freshJournalPluginId());
  }

  @Test
  void theReadModelBatchesOnAPoolWithOneDispatcherThreadPerConnectionInTheDatabasesDialect() {
    Config config = load("jobcluster.read-model.pool-size = 6");
    var settings = ReadModelSettings.fromConfig(config.getConfig("jobcluster.read-model"));
    assertEquals(6, settings.poolSize());
    assertEquals(6, config.getInt("pekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size"));
    assertEquals("h2-dialect", config.getString("pekko.projection.jdbc.dialect"));
    assertTrue(settings.batchSize() > 1, "batched");
    assertTrue(settings.groupWithin().compareTo(java.time.Duration.ofSeconds(1)) <= 0, "lag under light load");
    assertThrows(IllegalArgumentException.class, () -> ReadModelSettings.fromConfig(
        load("jobcluster.read-model.batch-size = 0").getConfig("jobcluster.read-model")));
    assertThrows(IllegalArgumentException.class, () -> ReadModelSettings.fromConfig(
        load("jobcluster.read-model.group-within = 0s").getConfig("jobcluster.read-model")));
    assertThrows(IllegalArgumentException.class, () -> ReadModelSettings.fromConfig(
        load("jobcluster.read-model.pool-size = 0").getConfig("jobcluster.read-model")));
  }
}
