package io.jobcluster.multijvm;

import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.wire.WorkerInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * What a chaos scenario stands on: a {@link NodeCluster} of real nodes on the test class's
 * PostgreSQL, an {@link ExecutionLedger} their {@code http} jobs call, one tenant with a key, and
 * clients for each node. Tenant limits are raised far above any test load, so a refusal the load
 * sees is the cluster's condition, never a quota.
 *
 * <pre>{@code
 * try (ChaosCluster chaos = ChaosCluster.start("KillTest", POSTGRES, 3, Map.of())) {
 *   JobLoad.Running load = chaos.load("b", HoldMix.mixed()).steady(2400, 40);
 *   ... chaos.cluster().node(2).kill9(); ...
 *   LoadCheck.Verdict verdict = LoadCheck.awaitCompleted(chaos::anyClient, load.await(timeout), chaos.ledger(), timeout);
 * }
 * }</pre>
 */
public final class ChaosCluster implements AutoCloseable {
  public static final String TENANT = "chaos";
  /** Eight slots per node: enough for a steady 40 jobs/s of {@link HoldMix#mixed()} on two of three nodes. */
  public static final String WORKER_QUEUES = "default:8";
  static final String ADMIN_KEY = "chaos-admin-0123456789abcdefghijklmnopqrstuv";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  /** How long a call must still have to run when {@link #awaitLoadRunningOn} returns. */
  public static final Duration STILL_RUNNING = Duration.ofMillis(500);

  private final NodeCluster cluster;
  private final ExecutionLedger ledger;
  private final String tenantKey;
  private final Map<String, JobclusterClient> clients = new ConcurrentHashMap<>();
  private final Map<String, JobclusterClient> operators = new ConcurrentHashMap<>();
  private final AtomicInteger nextClient = new AtomicInteger();

  private ChaosCluster(NodeCluster cluster, ExecutionLedger ledger, String tenantKey) {
    this.cluster = cluster;
    this.ledger = ledger;
    this.tenantKey = tenantKey;
    ledger.resolveWorkersWith(this::workerIds);
  }

  /**
   * Starts the ledger and {@code nodes} nodes, waits until they form one cluster and issues the
   * tenant's key. {@code env} adds to or overrides the nodes' environment (for example
   * {@link NodeEnv#WORKER_QUEUES}, default {@value #WORKER_QUEUES}).
   */
  public static ChaosCluster start(String name, PostgresExtension postgres, int nodes, Map<String, String> env) {
    return start(name, NodeCommand.nodeJar(), postgres, nodes, env);
  }

  /** As {@link #start(String, PostgresExtension, int, Map)}, with a node command of its own (JVM options). */
  public static ChaosCluster start(String name, NodeCommand command, PostgresExtension postgres, int nodes, Map<String, String> env) {
    Map<String, String> nodeEnv = new HashMap<>(PostgresNodes.env(postgres));
    // The ledger the http jobs call listens on loopback, which nodes refuse to call unless allowed.
    nodeEnv.put(NodeEnv.HTTP_ALLOWED_HOSTS, NodeSpec.HOST);
    nodeEnv.putAll(env);
    ExecutionLedger ledger = ExecutionLedger.start();
    return launch(NodeCluster.of(name, command, withChaosSettings(nodeEnv)), ledger, nodes);
  }

  /**
   * As {@link #start(String, PostgresExtension, int, Map)}, with each node in a network namespace
   * of {@code lab}, where {@code placement} ({@code lab::node}, {@code lab::relayedNode}) puts it:
   * its cluster transport on TLS with mutual authentication (certificates made in
   * {@code certificates}), the ledger and the database published on the lab's hub address (both
   * listen on the test JVM's loopback; the lab's gateway passes connections through Unix sockets).
   * The API serves plain HTTP on the node's address ({@code JOBCLUSTER_HTTP_INSECURE}): only the
   * test JVM reaches it, through the lab's loopback forwarders and gateway, and HTTPS is the security tests' subject, not the
   * network scenarios'.
   */
  public static ChaosCluster startInLab(String name, PostgresExtension postgres, NetworkLab lab, NodeHost.Placement placement,
      Path certificates, int nodes, Map<String, String> env) {
    String[] names = IntStream.range(0, nodes).mapToObj(i -> "node-" + i).toArray(String[]::new);
    ClusterCertificates ca = ClusterCertificates.make(certificates, names);
    String database = lab.publish(PostgresNodes.address(postgres));
    Map<String, String> nodeEnv = new HashMap<>(PostgresNodes.env(postgres, database));
    nodeEnv.put(NodeEnv.HTTP_ALLOWED_HOSTS, lab.hostAddress());
    nodeEnv.put(NodeEnv.HTTP_INSECURE, "true");
    nodeEnv.putAll(env);
    ExecutionLedger ledger = ExecutionLedger.start();
    try {
      ledger.publishedAt(lab.publish(ledger.address()));
    } catch (RuntimeException e) {
      ledger.close();
      throw e;
    }
    return launch(NodeCluster.of(name, NodeCommand.nodeJar(), withChaosSettings(nodeEnv), ca::env).placedBy(placement), ledger, nodes);
  }

  /** The admin key, worker slots and tenant limits of every scenario, under {@code env}'s own settings. */
  static Map<String, String> withChaosSettings(Map<String, String> env) {
    Map<String, String> nodeEnv = new HashMap<>();
    nodeEnv.put(NodeEnv.ADMIN_KEY, ADMIN_KEY);
    nodeEnv.put(NodeEnv.WORKER_QUEUES, WORKER_QUEUES);
    nodeEnv.put(NodeEnv.TENANT_MAX_ACTIVE_JOBS, "1000000");
    nodeEnv.put(NodeEnv.TENANT_SUBMIT_RATE, "100000");
    nodeEnv.put(NodeEnv.TENANT_SUBMIT_BURST, "100000");
    // Scenarios poll every job's status: no call rate may refuse them.
    nodeEnv.put(NodeEnv.TENANT_REQUEST_RATE, "1000000");
    nodeEnv.put(NodeEnv.TENANT_REQUEST_BURST, "1000000");
    nodeEnv.put(NodeEnv.TENANT_MAX_RUNNING_JOBS, "100000");
    // The ledger stands for a healthy downstream that fails some calls on purpose (scenario f's first
    // attempts answer 500): its circuit breaker must not open and hold back the other jobs' calls.
    nodeEnv.put(NodeEnv.HTTP_BREAKER_MAX_FAILURES, "1000000");
    nodeEnv.putAll(env);
    return nodeEnv;
  }

  private static ChaosCluster launch(NodeCluster cluster, ExecutionLedger ledger, int nodes) {
    try {
      cluster.start(nodes);
      JobclusterClient admin = JobclusterClient.builder().baseUri(cluster.node(0).spec().baseUri()).apiKey(ADMIN_KEY).build();
      String key = admin.issueKey(TENANT, List.of("submit", "read"), "chaos scenarios").key();
      return new ChaosCluster(cluster, ledger, key);
    } catch (RuntimeException | Error e) {
      cluster.close();
      ledger.close();
      throw e;
    }
  }

  public NodeCluster cluster() {
    return cluster;
  }

  public ExecutionLedger ledger() {
    return ledger;
  }

  /** The tenant's client for one node. */
  public JobclusterClient client(NodeProcess node) {
    return clients.computeIfAbsent(node.spec().httpAddress(), address -> JobclusterClient.builder()
        .baseUri(node.spec().baseUri()).apiKey(tenantKey).connectTimeout(CONNECT_TIMEOUT).requestTimeout(REQUEST_TIMEOUT).build());
  }

  /** The operator's client for one node. */
  private JobclusterClient operator(NodeProcess node) {
    return operators.computeIfAbsent(node.spec().httpAddress(), address -> JobclusterClient.builder()
        .baseUri(node.spec().baseUri()).apiKey(ADMIN_KEY).connectTimeout(CONNECT_TIMEOUT).requestTimeout(REQUEST_TIMEOUT).build());
  }

  /** The operator's client (admin key) for the first running node. */
  public JobclusterClient operator() {
    List<NodeProcess> running = cluster.running();
    if (running.isEmpty()) {
      throw new IllegalStateException("no node is running");
    }
    return operator(running.get(0));
  }

  /** The tenant's client for one of the running nodes, a different one each call. */
  public JobclusterClient anyClient() {
    List<NodeProcess> running = cluster.running();
    if (running.isEmpty()) {
      throw new IllegalStateException("no node is running");
    }
    return client(running.get(Math.floorMod(nextClient.getAndIncrement(), running.size())));
  }

  /**
   * The ids of every worker pool in the cluster, from the first running node that answers; asked
   * with the operator's key, since a tenant's key lists only its own external workers.
   */
  private List<String> workerIds() {
    RuntimeException last = new IllegalStateException("no node is running");
    for (NodeProcess node : cluster.running()) {
      try {
        return operator(node).workers().stream().map(WorkerInfo::id).toList();
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw last;
  }

  /** A load of {@code http} jobs on the running nodes; {@code keyPrefix} keeps its idempotency keys apart from other loads. */
  public JobLoad load(String keyPrefix, HoldMix mix) {
    return new JobLoad(keyPrefix, cluster::running, this::client, ledger, mix);
  }

  /**
   * Waits until {@code load} has {@code acknowledged} jobs acknowledged and {@code node} runs a
   * call that will last at least another {@link #STILL_RUNNING}: the moment to disturb the node,
   * with work of its own in flight that does not end before the blow lands.
   */
  public void awaitLoadRunningOn(JobLoad.Running load, int acknowledged, NodeProcess node, Duration timeout) {
    Poll.until(acknowledged + " jobs acknowledged and a call running on " + node.name(), timeout,
        () -> load.acknowledgedSoFar() >= acknowledged
            && !ledger.heldOnUntil(node.clusterAddress(), Instant.now().plus(STILL_RUNNING)).isEmpty());
  }

  /** The node name ({@code node-2}) for a cluster address ({@code 127.0.0.1:41234}) the ledger saw. */
  public String nodeName(String clusterAddress) {
    return cluster.nodes().stream().filter(node -> node.clusterAddress().equals(clusterAddress)).map(NodeProcess::name)
        .findFirst().orElse(clusterAddress);
  }

  /**
   * Names of the nodes whose logs show {@code queue}'s dispatcher meeting a worker pool: where the
   * dispatcher ran (more than one after it moved).
   */
  public List<String> dispatcherNodes(String queue) {
    return cluster.nodes().stream()
        .filter(node -> !node.logLinesContaining("worker pool joined queue=" + queue + " ").isEmpty())
        .map(NodeProcess::name).toList();
  }

  /**
   * When a node other than {@code except} first logged a line containing {@code text}, by the
   * timestamp that starts the node's log lines: to split a recovery into its steps (unreachable,
   * downed, ...).
   */
  public Optional<Instant> firstLogged(String text, NodeProcess except) {
    return cluster.nodes().stream().filter(node -> node != except)
        .flatMap(node -> node.logLinesContaining(text).stream())
        .map(ChaosCluster::timestamp).flatMap(Optional::stream)
        .min(Comparator.naturalOrder());
  }

  /** When {@code node} first logged a line containing {@code text} (by its log's timestamps, across restarts). */
  public Optional<Instant> firstLoggedBy(NodeProcess node, String text) {
    return node.logLinesContaining(text).stream().map(ChaosCluster::timestamp).flatMap(Optional::stream).min(Comparator.naturalOrder());
  }

  /** "unreachable after 5.1 s, downed after 10.7 s" for a node killed at {@code kill}, from the survivors' logs. */
  public String downingSteps(NodeProcess victim, Instant kill) {
    String address = "pekko://jobcluster@" + victim.clusterAddress();
    return firstLogged("Marking node as UNREACHABLE [Member(" + address, victim)
        .map(at -> "unreachable after " + ReliabilityReport.seconds(Duration.between(kill, at))).orElse("never marked unreachable")
        + ", " + firstLogged("Marking unreachable node [" + address + "] as [Down]", victim)
        .map(at -> "downed after " + ReliabilityReport.seconds(Duration.between(kill, at))).orElse("never downed");
  }

  private static Optional<Instant> timestamp(String logLine) {
    int space = logLine.indexOf(' ');
    try {
      return Optional.of(Instant.parse(space < 0 ? logLine : logLine.substring(0, space)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } finally {
      ledger.close();
    }
  }
}
