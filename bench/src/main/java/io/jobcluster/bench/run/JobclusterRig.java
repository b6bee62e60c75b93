package io.jobcluster.bench.run;

import io.jobcluster.bench.load.LoadTask;
import io.jobcluster.bench.metrics.ProcessCpu;
import io.jobcluster.multijvm.NodeCluster;
import io.jobcluster.multijvm.NodeCommand;
import io.jobcluster.multijvm.NodeEnv;
import io.jobcluster.multijvm.NodeProcess;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.protocol.client.JobclusterClient;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Jobcluster under test: node JVMs started from the built jar by the multi-JVM harness, on a fresh
 * database of the bench's PostgreSQL, with the bench's JVM options and environment, and one
 * tenant key (scopes submit and read) issued through the admin API.
 */
public final class JobclusterRig implements AutoCloseable {
  /** The node JVMs' options; the heap is fixed so that a run never measures heap growth. */
  public static final List<String> NODE_JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g");
  public static final String TENANT = "bench";
  private static final String ADMIN_KEY = "bench-admin-key-0123456789abcdefghijklmnopqrstuvwxyz";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final BenchPostgres postgres;
  private final String database;
  private final NodeCluster cluster;
  private final Map<String, String> env;
  private final String tenantKey;

  private JobclusterRig(BenchPostgres postgres, String database, NodeCluster cluster, Map<String, String> env, String tenantKey) {
    this.postgres = postgres;
    this.database = database;
    this.cluster = cluster;
    this.env = env;
    this.tenantKey = tenantKey;
  }

  /**
   * The environment of every benchmark node, before a scenario's own additions: 64 worker slots
   * (db-scheduler runs 64 threads), tenant limits far above any load here, room for requests in flight.
   */
  public static Map<String, String> standardEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(NodeEnv.WORKER_QUEUES, "default:64");
    env.put(NodeEnv.TENANT_SUBMIT_RATE, "1000000");
    env.put(NodeEnv.TENANT_SUBMIT_BURST, "1000000");
    env.put(NodeEnv.TENANT_REQUEST_RATE, "1000000");
    env.put(NodeEnv.TENANT_REQUEST_BURST, "1000000");
    env.put(NodeEnv.TENANT_MAX_ACTIVE_JOBS, "10000000");
    env.put(NodeEnv.TENANT_MAX_RUNNING_JOBS, "100000");
    env.put(NodeEnv.MAX_IN_FLIGHT, "4096");
    // The callback server of http jobs listens on loopback, which nodes refuse to call unless allowed.
    env.put(NodeEnv.HTTP_ALLOWED_HOSTS, "127.0.0.1");
    // Every http job calls the one callback server: as many calls to it as worker slots, as before
    // the per-host limit (default 8) existed.
    env.put(NodeEnv.HTTP_MAX_CALLS_PER_HOST, "64");
    return env;
  }

  /** Starts {@code nodes} nodes on a new database and waits until they form one cluster. */
  public static JobclusterRig start(BenchPostgres postgres, String name, int nodes, Map<String, String> extraEnv) {
    BenchPostgres.Database database = postgres.createDatabase(name.toLowerCase().replaceAll("[^a-z0-9]+", "_"));
    DatabaseSettings db = database.settings();
    Map<String, String> env = new LinkedHashMap<>(standardEnv());
    env.putAll(extraEnv);
    Map<String, String> processEnv = new LinkedHashMap<>(env);
    processEnv.putAll(NodeEnv.database(db.url(), db.user(), db.password()));
    processEnv.put(NodeEnv.ADMIN_KEY, ADMIN_KEY);
    NodeCluster cluster = NodeCluster.of(name, NodeCommand.nodeJar(NODE_JVM_OPTIONS), processEnv);
    try {
      cluster.start(nodes);
      JobclusterClient admin = JobclusterClient.builder().baseUri(cluster.node(0).spec().baseUri()).apiKey(ADMIN_KEY).build();
      String key = admin.issueKey(TENANT, List.of("submit", "read"), "benchmark load").key();
      return new JobclusterRig(postgres, database.name(), cluster, env, key);
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** The environment the report prints: the bench's settings, and what it leaves out. */
  public static Map<String, String> reportedEnv(Map<String, String> extraEnv) {
    Map<String, String> shown = new TreeMap<>(standardEnv());
    shown.putAll(extraEnv);
    shown.put(NodeEnv.DB_URL, "jdbc:postgresql://127.0.0.1:<port>/<fresh database per run>");
    shown.put(NodeEnv.DB_USER, "postgres");
    shown.put(NodeEnv.ADMIN_KEY, "(set; not shown)");
    shown.put("JOBCLUSTER_HTTP_PORT, JOBCLUSTER_CLUSTER_PORT, JOBCLUSTER_MANAGEMENT_PORT, JOBCLUSTER_SEED_NODES",
        "free 127.0.0.1 ports per node; node-0 seeds");
    return shown;
  }

  public List<URI> uris() {
    return cluster.nodes().stream().map(node -> node.spec().baseUri()).toList();
  }

  public LoadTask.Target target() {
    return new LoadTask.Target(uris(), tenantKey);
  }

  public String database() {
    return database;
  }

  public List<Long> pids() {
    return cluster.nodes().stream().map(NodeProcess::pid).toList();
  }

  /** Watches every node's metrics, on its management port. */
  public MetricsWatcher watch() {
    return MetricsWatcher.start(cluster.nodes().stream().map(node -> node.spec().managementUri()).toList());
  }

  /** CPU seconds the node processes used so far. */
  public double cpuSeconds() {
    return pids().stream().mapToDouble(pid -> ProcessCpu.seconds(pid).orElse(0)).sum();
  }

  public boolean allAlive() {
    return cluster.nodes().stream().allMatch(NodeProcess::isAlive);
  }

  /**
   * Kills the nodes and waits until their database sessions have ended, which is when PostgreSQL
   * has counted all they did. SIGKILL, not SIGTERM: a graceful leave writes (hand-offs, offsets)
   * that are no part of running the jobs and would count per job.
   */
  public void killAndAwaitSessionsEnded() {
    cluster.close();
    postgres.awaitNoSessions(database, STOP_TIMEOUT);
  }

  /** Kills whatever still runs. */
  @Override
  public void close() {
    cluster.close();
  }
}
