package io.jobcluster.node;

import com.typesafe.config.ConfigFactory;
import io.jobcluster.persistence.DatabaseSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Starts real nodes inside the test JVM: own ports on 127.0.0.1, the given database, ready. */
public final class TestNodes {
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  /** For tests that submit thousands of jobs as fast as they can: no tenant's rate or burst limits them. */
  public static final String UNLIMITED_SUBMISSIONS = "jobcluster.limits.tenant-defaults { submit-rate = 1000000, submit-burst = 1000000 }\n";

  private TestNodes() {}

  /** A node that seeds itself, with {@code extraConfig} (HOCON) on top of the defaults. */
  public static JobclusterNode start(DatabaseSettings database, String extraConfig) throws Exception {
    return start(database, FreePorts.next(), "", extraConfig);
  }

  /** A node that joins the cluster of {@code seedNode} (host:port). */
  public static JobclusterNode start(DatabaseSettings database, String extraConfig, String seedNode) throws Exception {
    return start(database, FreePorts.next(), seedNode, extraConfig);
  }

  /** A node on {@code clusterPort} joining {@code seedNodes} ("" = itself); its management port is any free one. */
  public static JobclusterNode start(DatabaseSettings database, int clusterPort, String seedNodes, String extraConfig) throws Exception {
    String overrides = String.format("jobcluster.cluster { host = \"127.0.0.1\", port = %d, seed-nodes = \"%s\" }%n"
        + "jobcluster.http { host = \"127.0.0.1\", port = %d }%n"
        + "jobcluster.management { host = \"127.0.0.1\", port = 0 }%n%s", clusterPort, seedNodes, FreePorts.next(), extraConfig);
    JobclusterNode node = JobclusterNode.start(NodeConfig.load(database, ConfigFactory.parseString(overrides)), database);
    try {
      node.awaitReady(READY_TIMEOUT).toCompletableFuture().get(READY_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (Exception e) {
      node.close();
      throw e;
    }
    return node;
  }
}
