package io.jobcluster.node;

import com.typesafe.config.Config;
import io.jobcluster.node.auth.ApiKeys;
import io.jobcluster.node.health.DatabaseHealth;
import io.jobcluster.node.health.HealthRoutes;
import io.jobcluster.node.http.AdminKeysApi;
import io.jobcluster.node.http.AnswerDeadline;
import io.jobcluster.node.http.Endpoint;
import io.jobcluster.node.http.DrainApi;
import io.jobcluster.node.http.ManagementRoutes;
import io.jobcluster.node.http.MetricsApi;
import io.jobcluster.node.http.RequestObserver;
import io.jobcluster.node.limits.RequestLimits;
import io.jobcluster.node.limits.PayloadLimit;
import io.jobcluster.node.limits.SubmissionGate;
import io.jobcluster.node.limits.TenantLimits;
import io.jobcluster.node.metrics.NodeMetrics;
import io.jobcluster.node.metrics.RuntimeMetrics;
import io.jobcluster.node.metrics.ScheduleMetrics;
import io.jobcluster.node.http.SchedulesApi;
import io.jobcluster.node.schedule.ScheduleDirectory;
import io.jobcluster.node.schedule.ScheduleEntity;
import io.jobcluster.node.schedule.ScheduleService;
import io.jobcluster.node.schedule.ScheduleSettings;
import io.jobcluster.node.http.EventsApi;
import io.jobcluster.node.http.WebhooksApi;
import io.jobcluster.node.webhook.WebhookTarget;
import io.jobcluster.node.webhook.Webhooks;
import io.jobcluster.node.http.GatewayRoutes;
import io.jobcluster.node.http.JobsApi;
import io.jobcluster.node.http.OpsApi;
import io.jobcluster.node.http.WorkApi;
import io.jobcluster.node.dispatch.QueueDispatcher;
import io.jobcluster.node.dispatch.QueueDispatchers;
import io.jobcluster.node.dispatch.ReadyJob;
import io.jobcluster.node.dispatch.DispatchReadModel;
import io.jobcluster.node.job.DeadlineSweeper;
import io.jobcluster.node.job.JobEntity;
import io.jobcluster.node.job.JobEventStreams;
import io.jobcluster.node.job.JournalOrdering;
import io.jobcluster.node.job.JobReadyListener;
import io.jobcluster.node.job.JobShards;
import io.jobcluster.node.worker.WorkerDirectory;
import io.jobcluster.node.worker.WorkerPool;
import io.jobcluster.node.worker.WorkerPools;
import io.jobcluster.node.worker.WorkerQueues;
import io.jobcluster.node.worker.handler.DisabledJobTypes;
import io.jobcluster.node.worker.handler.HttpHandler;
import io.jobcluster.node.worker.handler.HttpJobSettings;
import io.jobcluster.node.worker.handler.JobHandlers;
import io.jobcluster.node.job.JobEntitySettings;
import io.jobcluster.node.readmodel.JobQueries;
import io.jobcluster.node.readmodel.ReadModel;
import io.jobcluster.node.readmodel.RunningAttempt;
import io.jobcluster.node.retention.RetentionMetrics;
import io.jobcluster.node.retention.RetentionSettings;
import io.jobcluster.node.retention.RetentionSweeper;
import io.jobcluster.node.tls.GatewayTls;
import io.jobcluster.persistence.ClusterSecretStore;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.SchemaMigrator;
import io.jobcluster.protocol.wire.Readiness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: the schema applied, the actor system joined to its cluster, job sharding started
 * and the HTTP server bound. {@link #close()} leaves the cluster through coordinated shutdown.
 */
public final class JobclusterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobclusterNode.class);

  private final ActorSystem<Void> system;
  private final JobService jobs;
  private final JobQueries queries;
  private final ApiKeys apiKeys;
  private final NodeReadiness readiness;
  private final ServerBinding binding;
  private final ServerBinding management;
  private final GatewayRoutes gateway;

  private JobclusterNode(ActorSystem<Void> system, JobService jobs, JobQueries queries, ApiKeys apiKeys, NodeReadiness readiness,
      ServerBinding binding, ServerBinding management, GatewayRoutes gateway) {
    this.system = system;
    this.jobs = jobs;
    this.queries = queries;
    this.apiKeys = apiKeys;
    this.readiness = readiness;
    this.binding = binding;
    this.management = management;
    this.gateway = gateway;
  }

  /** Applies the schema, then starts the node; blocks until the HTTP server is bound. */
  public static JobclusterNode start(Config config, DatabaseSettings database) {
    SchemaMigrator.migrate(database);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), NodeConfig.SYSTEM_NAME, config);
    try {
      // One registry per node (tests run several nodes in one JVM), closed with its actor system.
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      RuntimeMetrics runtime = RuntimeMetrics.bindTo(meters);
      system.getWhenTerminated().thenRun(runtime::close).thenRun(meters::close);
      Config settings = system.settings().config().getConfig("jobcluster");
      JobService jobs = new JobService(system, Clock.systemUTC(), settings.getDuration("ask-timeout"),
          JobService.LostWorkerAsks.from(settings.getConfig("job.lost-worker-asks")), PayloadLimit.fromConfig(settings),
          clusterSecret(settings, database));
      ReadModel readModel = ReadModel.start(system, database, meters);
      JobQueries queries = readModel.queries();
      Config limits = settings.getConfig("limits");
      TenantLimits.Table tenantLimits = TenantLimits.Table.fromConfig(limits);
      QueueDispatcher.init(system, jobs, dispatchReadModel(queries), dispatchSettings(settings.getConfig("dispatch"), tenantLimits));
      NodeMetrics metrics = new NodeMetrics(meters, settings.getBoolean("metrics.tenant-labels"));
      JobEntity.init(system, JobEntitySettings.fromConfig(settings.getConfig("job"), dispatcherNotice(system), metrics));
      CompletableFuture<Done> jobShardsStarted = JobShards.startAll(system, settings.getDuration("ask-timeout")).toCompletableFuture();
      Config sweep = settings.getConfig("deadline-sweep");
      DeadlineSweeper.init(system, queries, jobs, new DeadlineSweeper.Settings(sweep.getDuration("interval"),
          settings.getDuration("job.wake-horizon"), sweep.getDuration("grace"), sweep.getInt("limit")));
      RetentionSweeper.init(system, readModel.finishedJobs(), jobs, RetentionSettings.fromConfig(settings.getConfig("retention")),
          new RetentionMetrics(meters, Clock.systemUTC()), Clock.systemUTC());
      ScheduleService schedules = startSchedules(system, settings, jobs, meters);
      CompletableFuture<Done> shardsStarted = CompletableFuture.allOf(jobShardsStarted,
          JobShards.startAll(system, ScheduleEntity.TYPE_KEY.name(), settings.getDuration("ask-timeout")).toCompletableFuture())
          .thenApply(all -> Done.getInstance());
      DisabledJobTypes disabledTypes = DisabledJobTypes.fromConfig(settings.getConfig("job-types"));
      JobHandlers handlers = JobHandlers.load(JobclusterNode.class.getClassLoader(),
          List.of(HttpHandler.create(system, HttpJobSettings.fromConfig(settings.getConfig("http-jobs")), meters))).disabling(disabledTypes);
      WorkerPools.Settings workerSettings = WorkerPools.Settings.from(settings.getConfig("worker"));
      WorkerPools pools = WorkerPools.start(system, jobs, handlers,
          WorkerQueues.parse(settings.getString("worker-queues")), NodeIdentity.self(system), workerSettings);
      Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
      DatabaseHealth databaseHealth = new DatabaseHealth(database, blocking, Clock.systemUTC(), Duration.ofSeconds(1));

      String adminKey = settings.getString("admin-key");
      ApiKeys apiKeys = ApiKeys.start(system, database, adminKey.isEmpty() ? null : adminKey, meters,
          ApiKeys.Settings.fromConfig(settings.getConfig("auth")));

      Webhooks webhooks = Webhooks.start(system, readModel.dataSource(), blocking, jobs,
          new WebhookTarget(HttpJobSettings.fromConfig(settings.getConfig("http-jobs")).policy()), settings.getConfig("webhooks"), meters);

      NodeReadiness readiness = new NodeReadiness(system, shardsStarted, databaseHealth, pools::draining);
      HealthRoutes health = new HealthRoutes(readiness::check);
      AnswerDeadline deadline = new AnswerDeadline(settings.getDuration("http.unavailable-check-after"), databaseHealth::isReachable);
      SubmissionGate gate = new SubmissionGate(tenantLimits, queries::activeJobs, () -> NodeReadiness.upMembers(system),
          System::nanoTime, limits.getDuration("active-count-ttl"), limits.getDuration("admission-memory"));
      GatewayRoutes gateway = new GatewayRoutes(new GatewayRoutes.Parts(health,
          new JobsApi(jobs, queries, deadline, gate, disabledTypes, webhooks.target()), new AdminKeysApi(apiKeys),
          new OpsApi(queries, new WorkerDirectory(system), new QueueDispatchers(system, settings.getDuration("ask-timeout")), Clock.systemUTC()),
          new WorkApi(system, jobs, deadline, settings.getDuration("http.lease-linger")), apiKeys.authenticator(),
          databaseHealth::isReachable, new RequestObserver(metrics, limits.getInt("max-in-flight-requests")), requestLimits(system, limits, tenantLimits),
          new SchedulesApi(schedules, deadline, disabledTypes), eventsApi(system, readModel, blocking, settings), new WebhooksApi(webhooks, jobs)),
          settings.getBytes("http.max-body"), settings.getBytes("http.max-batch-body"), settings.getDuration("http.retry-after"));
      ServerBuilder api = Http.get(system).newServerAt(settings.getString("http.host"), settings.getInt("http.port"));
      Optional<GatewayTls> https = GatewayTls.fromConfig(settings.getConfig("http.tls"));
      ServerBinding binding = bind(system, https.isPresent() ? api.enableHttps(https.get().serverContext()) : api, gateway.routes());
      metrics.beforeScrape(() -> pools.status(Duration.ofSeconds(1)).thenAccept(status -> metrics.workerSlots(
          status.stream().collect(Collectors.toMap(WorkerPool.PoolInfo::queue, WorkerPool.PoolInfo::capacity)),
          status.stream().collect(Collectors.toMap(WorkerPool.PoolInfo::queue, WorkerPool.PoolInfo::inFlight)))));
      ManagementRoutes managementRoutes = new ManagementRoutes(health,
          new MetricsApi(metrics, system, queries, Clock.systemUTC(), settings.getDuration("metrics.queue-refresh")), new DrainApi(pools::drain, workerSettings.drainPhase()));
      ServerBinding management = bind(system,
          Http.get(system).newServerAt(settings.getString("management.host"), settings.getInt("management.port")), managementRoutes.routes());
      log.info("Listening: API on {}://{}, management (metrics, health) on http://{}", https.isPresent() ? "https" : "http",
          hostPort(binding.localAddress()), hostPort(management.localAddress()));
      if (NodeConfig.bootstraps(system.settings().config())) {
        startBootstrap(system);
      }
      return new JobclusterNode(system, jobs, queries, apiKeys, readiness, binding, management, gateway);
    } catch (Exception e) {
      // Stopped before the caller hears of it: nothing of the failed node (ports, pools, database
      // files) is still in use when it starts another or removes the node's directory.
      terminate(system);
      throw new IllegalStateException("node failed to start: " + e.getMessage(), e);
    }
  }

  /**
   * Recurring schedules: their sharding (remembered entities; the caller starts every schedule shard,
   * so each schedule runs again after a restart of the whole cluster) and the tenants' directories.
   */
  private static ScheduleService startSchedules(ActorSystem<?> system, Config settings, JobService jobs, PrometheusMeterRegistry meters) {
    ScheduleEntity.init(system, ScheduleSettings.fromConfig(settings.getConfig("schedules"), jobs, new ScheduleMetrics(meters)));
    ScheduleDirectory.init(system);
    return new ScheduleService(system, jobs, jobs::spec, Clock.systemUTC(), settings.getDuration("ask-timeout"));
  }

  /**
   * Bootstrap mode: Pekko Management serves this node's contact point ({@code /bootstrap/seed-nodes})
   * on its own port, and ClusterBootstrap finds the other nodes through discovery, then joins them or,
   * when none has formed a cluster and this node has the lowest address, forms one.
   */
  private static void startBootstrap(ActorSystem<?> system) throws Exception {
    var uri = PekkoManagement.get(system).start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    ClusterBootstrap.get(system).start();
    Config contactPoints = system.settings().config().getConfig("pekko.management.cluster.bootstrap.contact-point-discovery");
    log.info("Cluster bootstrap: contact point on {}, discovery={} service={} required-contact-points={}", uri,
        contactPoints.getString("discovery-method"), contactPoints.getString("service-name"), contactPoints.getInt("required-contact-point-nr"));
  }

  private static ServerBinding bind(ActorSystem<?> system, ServerBuilder server, Route routes) throws Exception {
    return server.bind(routes).toCompletableFuture().get(30, TimeUnit.SECONDS).addToCoordinatedShutdown(Duration.ofSeconds(10), system);
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  private static RequestLimits requestLimits(ActorSystem<?> system, Config limits, TenantLimits.Table tenantLimits) {
    RequestLimits.AddressLimit unauthenticated = new RequestLimits.AddressLimit(limits.getDouble("unauthenticated-rate"),
        limits.getInt("unauthenticated-burst"), limits.getInt("tracked-addresses"));
    return new RequestLimits(tenantLimits, unauthenticated, () -> NodeReadiness.upMembers(system), System::nanoTime);
  }

  /** Job transitions as Server-Sent Events, from the journal. */
  private static EventsApi eventsApi(ActorSystem<?> system, ReadModel readModel, Executor blocking, Config settings) {
    return new EventsApi(JobEventStreams.of(system, new JournalOrdering(readModel.dataSource(), blocking)),
        settings.getDuration("http.event-stream-heartbeat"), settings.getInt("http.max-event-streams"));
  }

  /**
   * The key of ids derived from idempotency keys: {@code jobcluster.cluster-secret}, or else the
   * secret the first node stored in the database, so every node and every restart derives the same ids.
   */
  private static byte[] clusterSecret(Config settings, DatabaseSettings database) {
    String configured = settings.getString("cluster-secret");
    if (configured.isEmpty()) {
      return ClusterSecretStore.readOrCreate(database);
    }
    if (configured.length() < 32) {
      throw new IllegalArgumentException("jobcluster.cluster-secret must hold at least 32 characters");
    }
    return configured.getBytes(StandardCharsets.UTF_8);
  }

  /** Job entities tell their queue's dispatcher (wherever it runs) that a job became PENDING. */
  private static JobReadyListener dispatcherNotice(ActorSystem<?> system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return (queue, tenant, jobId, type, priority, readyAt) ->
        sharding.entityRefFor(QueueDispatcher.TYPE_KEY, queue).tell(new QueueDispatcher.JobReady(jobId, tenant, type, priority, readyAt));
  }

  /** The dispatchers reconcile with the read model's PENDING and RUNNING jobs of their queue. */
  private static DispatchReadModel dispatchReadModel(JobQueries queries) {
    return new DispatchReadModel() {
      @Override
      public CompletionStage<List<ReadyJob>> readyJobs(String queue, int limit, List<String> skipTypes) {
        return queries.readyJobs(queue, limit, skipTypes).thenApply(rows -> rows.stream()
            .map(row -> ReadyJob.of(row.jobId(), row.tenant(), row.type(), row.priority(), row.readyAt()))
            .toList());
      }

      @Override
      public CompletionStage<List<RunningAttempt>> runningAttempts(String queue, int limit) {
        return queries.runningAttempts(queue, limit);
      }
    };
  }

  private static QueueDispatcher.Settings dispatchSettings(Config config, TenantLimits.Table tenantLimits) {
    return new QueueDispatcher.Settings(config.getDuration("reconcile-interval"), config.getInt("reconcile-limit"), config.getDuration("retry-delay"),
        config.getDuration("lease-timeout"), tenantLimits);
  }

  private static String selfAddress(ActorSystem<?> system) {
    var address = Cluster.get(system).selfMember().address();
    return address.getHost().orElse("?") + ":" + address.getPort().orElse(0);
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public JobService jobs() {
    return jobs;
  }

  public ApiKeys apiKeys() {
    return apiKeys;
  }

  public JobQueries queries() {
    return queries;
  }

  /** Every HTTP endpoint this node serves. */
  public List<Endpoint> httpEndpoints() {
    return gateway.endpointList();
  }

  public InetSocketAddress httpAddress() {
    return binding.localAddress();
  }

  /** Where the management port (metrics, health) listens. */
  public InetSocketAddress managementAddress() {
    return management.localAddress();
  }

  /** This node's cluster address, {@code host:port} (what seed node lists hold). */
  public String clusterAddress() {
    return selfAddress(system);
  }

  /** This node's identity in leases and worker ids, {@code host:port#uid} (see {@link NodeIdentity}). */
  public String nodeId() {
    return NodeIdentity.self(system);
  }

  /** Joined (this member is Up), job sharding answers with every job shard started, and the database answers. */
  public CompletionStage<Readiness> readiness() {
    return readiness.check();
  }

  /** Completes when the node is ready, checking every 200 ms until {@code timeout}. */
  public CompletionStage<Readiness> awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return Patterns.retry(this::readiness, (r, failure) -> failure == null && !r.isReady() && System.nanoTime() < deadline,
        Integer.MAX_VALUE, Duration.ofMillis(200), system)
        .thenCompose(r -> r.isReady() ? CompletableFuture.completedFuture(r)
            : CompletableFuture.failedFuture(new IllegalStateException("node not ready after " + timeout + ": " + r)));
  }

  @Override
  public void close() {
    terminate(system);
  }

  private static void terminate(ActorSystem<?> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("actor system did not terminate within 60 s", e);
    }
  }
}
