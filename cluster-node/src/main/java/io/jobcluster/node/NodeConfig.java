package io.jobcluster.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.jobcluster.node.job.JobEntitySettings;
import io.jobcluster.node.tls.ClusterTls;
import io.jobcluster.node.tls.GatewayTls;
import io.jobcluster.node.limits.PayloadLimit;
import io.jobcluster.node.worker.WorkerPools;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.PersistenceConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a node's full configuration: {@code overrides}, then the database, then application.conf
 * (whose {@code ${?JOBCLUSTER_...}} substitutions read the environment), then Pekko's defaults;
 * finally seed nodes and roles are derived from the {@code jobcluster.cluster} settings, the
 * cluster transport's TLS from {@code jobcluster.cluster.tls} ({@link ClusterTls}), Artery's
 * largest frame from the payload limit ({@link PayloadLimit#frameSize}), and the journal new jobs
 * start on from the journal's ({@link PersistenceConfig#freshJournal}). With a cluster bootstrap
 * method ({@link #bootstraps}) the {@link #KUBERNETES_OVERLAY} is layered under the database and
 * there are no seed nodes. A configuration whose listeners break the refusal rule
 * ({@link #refuseUnprotectedListeners}) is not loaded at all.
 */
public final class NodeConfig {
  public static final String SYSTEM_NAME = "jobcluster";
  static final String MAXIMUM_FRAME_SIZE = "pekko.remote.artery.advanced.maximum-frame-size";
  /** The Pekko Management, ClusterBootstrap and discovery settings of bootstrap mode (a resource). */
  public static final String KUBERNETES_OVERLAY = "kubernetes.conf";

  private NodeConfig() {}

  /**
   * The database the configuration names ({@code jobcluster.database}, from the environment by
   * default), read before the rest because the persistence settings {@link #load} layers follow it.
   */
  public static DatabaseSettings database(Config overrides) {
    return DatabaseSettings.fromConfig(settings(overrides).getConfig("database"));
  }

  /** The {@code jobcluster} block as {@code overrides}, the environment and application.conf give it, before {@link #load}. */
  public static Config settings(Config overrides) {
    return ConfigFactory.load(overrides.withFallback(ConfigFactory.parseResourcesAnySyntax("application"))).getConfig("jobcluster");
  }

  public static Config load(DatabaseSettings database, Config overrides) {
    Config application = ConfigFactory.parseResourcesAnySyntax("application");
    Config resolved = ConfigFactory.load(overrides.withFallback(PersistenceConfig.forDatabase(database)).withFallback(application));
    Config cluster = resolved.getConfig("jobcluster.cluster");
    boolean bootstraps = bootstraps(resolved);
    if (bootstraps) {
      // The bootstrap overlay's values come from jobcluster.cluster.bootstrap, under what the operator set.
      resolved = ConfigFactory.load(bootstrapDerived(cluster.getConfig("bootstrap"))
          .withFallback(overrides)
          .withFallback(PersistenceConfig.forDatabase(database))
          .withFallback(ConfigFactory.parseResourcesAnySyntax(KUBERNETES_OVERLAY))
          .withFallback(application));
    }
    // The drain runs in this shutdown phase; the phase must outlast the drain it waits for.
    Duration drainPhase = WorkerPools.Settings.from(resolved.getConfig("jobcluster.worker")).drainPhase();
    Config clusterTls = ClusterTls.fromConfig(cluster.getConfig("tls")).map(ClusterTls::pekkoSettings).orElse(ConfigFactory.empty());
    // A message larger than the frame is dropped by Artery (the ask times out): every job message must fit.
    long frameSize = Math.max(resolved.getBytes(MAXIMUM_FRAME_SIZE), PayloadLimit.frameSize(resolved.getConfig("jobcluster")));
    Config config = ConfigFactory.empty()
        .withValue("pekko.coordinated-shutdown.phases.service-requests-done.timeout", ConfigValueFactory.fromAnyRef(drainPhase.toMillis() + "ms"))
        .withValue(MAXIMUM_FRAME_SIZE, ConfigValueFactory.fromAnyRef(frameSize + "b"))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(bootstraps ? List.of() : seedNodes(cluster)))
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(splitList(cluster.getString("roles"))))
        .withValue(JobEntitySettings.FRESH_JOURNAL, PersistenceConfig.freshJournal(resolved).root())
        .withFallback(clusterTls)
        .withFallback(resolved);
    refuseUnprotectedListeners(config);
    return config;
  }

  /**
   * A listener other machines can reach must be encrypted unless the operator allowed it: the
   * cluster transport (its bind address, else its canonical one) needs {@code tls-tcp}, the HTTP
   * API a key store, else {@code jobcluster.cluster.insecure} / {@code jobcluster.http.insecure}.
   * The management port is plain HTTP by design and is not checked (docs/SECURITY.md).
   */
  static void refuseUnprotectedListeners(Config config) {
    String bind = config.getString("pekko.remote.artery.bind.hostname");
    String clusterHost = bind.isBlank() ? config.getString("pekko.remote.artery.canonical.hostname") : bind;
    ClusterTls.RULE.check(clusterHost, config.getString("pekko.remote.artery.transport").equals("tls-tcp"),
        config.getBoolean("jobcluster.cluster.insecure"));
    GatewayTls.RULE.check(config.getString("jobcluster.http.host"), !config.getString(GatewayTls.PATH + ".key-store").isBlank(),
        config.getBoolean("jobcluster.http.insecure"));
  }

  /** Whether the node finds its cluster through cluster bootstrap ({@code jobcluster.cluster.bootstrap.method} set) instead of seed nodes. */
  public static boolean bootstraps(Config config) {
    return !config.getString("jobcluster.cluster.bootstrap.method").isBlank();
  }

  /**
   * What {@link #KUBERNETES_OVERLAY} cannot say in HOCON: the management
   * host when it is not the cluster host, and the pods' namespace when it is not this pod's own.
   */
  private static Config bootstrapDerived(Config bootstrap) {
    Config derived = ConfigFactory.empty();
    if (!bootstrap.getString("management-host").isBlank()) {
      derived = derived.withValue("pekko.management.http.hostname", ConfigValueFactory.fromAnyRef(bootstrap.getString("management-host")));
    }
    if (!bootstrap.getString("pod-namespace").isBlank()) {
      derived = derived.withValue("pekko.discovery.kubernetes-api.pod-namespace", ConfigValueFactory.fromAnyRef(bootstrap.getString("pod-namespace")));
    }
    return derived;
  }

  /** {@code host:port,...} as Pekko addresses; none means the node seeds (joins) itself. */
  static List<String> seedNodes(Config cluster) {
    List<String> seeds = splitList(cluster.getString("seed-nodes"));
    if (seeds.isEmpty()) {
      seeds = List.of(cluster.getString("host") + ":" + cluster.getInt("port"));
    }
    return seeds.stream().map(NodeConfig::address).toList();
  }

  private static String address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("seed node must be host:port, got '" + hostPort + "'");
    }
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    return "pekko://" + SYSTEM_NAME + "@" + hostPort.substring(0, colon) + ":" + port;
  }

  /**
   * A list setting that the environment may also give as one comma-separated string (a HOCON list
   * cannot come from a single environment variable): {@code key = [..]} and {@code key = ${?ENV}} both work.
   */
  public static List<String> stringList(Config config, String path) {
    return config.getValue(path).valueType() == ConfigValueType.LIST
        ? config.getStringList(path).stream().map(String::trim).filter(s -> !s.isEmpty()).toList()
        : splitList(config.getString(path));
  }

  private static List<String> splitList(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
