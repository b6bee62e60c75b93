package io.jobcluster.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.protocol.wire.Readiness;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one node from the environment (see docs/CONFIGURATION.md) and logs one line when it is ready. */
public final class Main {
  /** The property the JDK reads once, when the common pool is first used. */
  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  static {
    // Before anything can touch the common pool. With 1 or 2 cores its parallelism is 1, and then
    // CompletableFuture runs every async step, including each continuation of an ask (Pekko's Java
    // API converts Scala futures into stages that run continuations asynchronously), on a new
    // thread: a profile of one node under load showed ~540 threads started per second.
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(Math.max(4, Runtime.getRuntime().availableProcessors())));
    }
  }

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    // A node process ends with its actor system (left the cluster, downed by the split brain resolver).
    Config overrides = ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on");
    try {
      Config settings = NodeConfig.settings(overrides);
      DatabaseSettings database = DatabaseSettings.fromConfig(settings.getConfig("database"));
      Optional<FirstStartAdminKey> firstStartKey = FirstStartAdminKey.forEmbeddedNode(settings);
      if (firstStartKey.isPresent()) {
        overrides = ConfigFactory.parseMap(Map.of("jobcluster.admin-key", firstStartKey.get().key())).withFallback(overrides);
      } else if (settings.getString("admin-key").isBlank()) {
        log.warn("No admin key is configured: every /v1 call answers 401 until the node is started with JOBCLUSTER_ADMIN_KEY "
            + "(at least 32 characters, the same on every node), e.g. JOBCLUSTER_ADMIN_KEY=$(openssl rand -hex 32)");
      }
      // Refuses listeners other machines reach without TLS (NodeConfig.refuseUnprotectedListeners).
      JobclusterNode node = JobclusterNode.start(NodeConfig.load(database, overrides), database);
      Readiness ready = node.awaitReady(Duration.ofMinutes(5)).toCompletableFuture().get(5, TimeUnit.MINUTES);
      var http = node.httpAddress();
      log.info("Jobcluster node ready http={}:{} cluster={} members={} database={}",
          http.getHostString(), http.getPort(), node.clusterAddress(), ready.members(), database.redactedUrl());
      // The console, not the log: the key is shown once, to whoever started the node, and never reaches log files.
      String scheme = settings.getString("http.tls.key-store").isBlank() ? "http" : "https";
      firstStartKey.ifPresent(key -> System.out.println(key.banner(scheme + "://" + http.getHostString() + ":" + http.getPort())));
    } catch (Exception e) {
      log.error("Jobcluster node failed to start: {}", e.getMessage(), e);
      System.exit(1);
    }
  }
}
