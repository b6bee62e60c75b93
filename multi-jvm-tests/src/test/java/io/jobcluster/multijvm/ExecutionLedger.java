package io.jobcluster.multijvm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jobcluster.node.worker.handler.HttpHandler;
import io.jobcluster.protocol.WorkerId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The receiving end of {@code http} jobs, inside the test JVM: every call the nodes make is an
 * execution, recorded with the job id, attempt and worker the node's headers name
 * ({@code X-Jobcluster-Job-Id}, {@code -Attempt}, {@code -Worker}). So executions, duplicates and
 * the node that ran each one are counted from outside the cluster.
 *
 * <p>{@code GET /run?ms=N} answers 200 after N milliseconds. The answer is completed by a timer,
 * never by a parked thread, so thousands of held calls cost nothing and never delay each other.
 * With {@code &fail=K} it answers 500 instead to attempts 1..K (still recorded as executions),
 * so a job fails its first attempts with a retryable error and waits out a backoff.
 */
public final class ExecutionLedger implements AutoCloseable {
  public static final String PATH = "/run";
  static final String JOB_ID_HEADER = "X-Jobcluster-Job-Id";
  static final String ATTEMPT_HEADER = "X-Jobcluster-Attempt";
  static final String WORKER_HEADER = "X-Jobcluster-Worker";
  private static final long MAX_HOLD_MS = TimeUnit.MINUTES.toMillis(10);

  /**
   * One call as the ledger saw it.
   *
   * @param workerId the worker id the call's worker label stands for (the label when no running pool had it)
   * @param node the cluster address ({@code host:port}) from the worker id ({@code host:port#uid/queue})
   * @param hold how long the call asked to be held
   * @param end when the answer was written; null while it is held
   * @param answered false when writing the answer failed (the caller was gone); best effort, since a
   *     write to a peer that just died may still succeed
   */
  public record Execution(long seq, String jobId, int attempt, String workerId, String node, Duration hold, Instant start,
                          Instant end, boolean answered) {
    Execution ended(Instant at, boolean ok) {
      return new Execution(seq, jobId, attempt, workerId, node, hold, start, at, ok);
    }

    /** Whether the call had started and not yet been answered at {@code instant}. */
    public boolean heldAt(Instant instant) {
      return start.isBefore(instant) && (end == null || !end.isBefore(instant));
    }
  }

  /**
   * What a node was running when it went away and when it ran again elsewhere: how long the
   * cluster took to take over the node's leases.
   *
   * @param inFlight the calls held on the node at {@code at}
   * @param rerun every job that ran on the node before {@code at} and ran again on another node
   *     after it (the held calls, and calls answered whose result the node never reported), to
   *     its first execution there
   */
  public record Redispatch(String node, Instant at, List<Execution> inFlight, Map<String, Execution> rerun) {

    /** Jobs that were in flight on the node and have not run anywhere else since. */
    public List<String> notRerun() {
      return inFlight.stream().map(Execution::jobId).filter(id -> !rerun.containsKey(id)).toList();
    }

    /** From {@code at} until the last of the node's jobs started again elsewhere; empty if none did. */
    public Optional<Duration> last() {
      return rerun.values().stream().map(run -> Duration.between(at, run.start())).max(Comparator.naturalOrder());
    }

    /** From {@code at} until the first of the node's jobs started again elsewhere. */
    public Optional<Duration> first() {
      return rerun.values().stream().map(run -> Duration.between(at, run.start())).min(Comparator.naturalOrder());
    }
  }

  private final HttpServer server;
  private final ExecutorService requestThreads = Executors.newFixedThreadPool(4, daemon("ledger-http"));
  private final ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor(daemon("ledger-answers"));
  private final Map<Long, Execution> executions = new ConcurrentHashMap<>();
  // X-Jobcluster-Worker carries an opaque label (HttpHandler.workerLabel), no address: the ledger
  // maps labels back to worker ids through the cluster's list of worker pools.
  private final Map<String, String> workerIdsByLabel = new ConcurrentHashMap<>();
  private volatile Supplier<List<String>> workerDirectory = List::of;
  private final AtomicLong sequence = new AtomicLong();
  private volatile String callAddress;

  private ExecutionLedger(HttpServer server) {
    this.server = server;
  }

  /** A ledger on a fresh 127.0.0.1 port; nodes in a {@link NetworkLab} call it where the lab publishes it ({@link #publishedAt}). */
  public static ExecutionLedger start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(NodeSpec.HOST), 0), 256);
      ExecutionLedger ledger = new ExecutionLedger(server);
      server.setExecutor(ledger.requestThreads);
      server.createContext(PATH, ledger::onCall);
      server.start();
      return ledger;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the execution ledger", e);
    }
  }

  /** Where the ledger looks up the worker ids behind labels it does not know yet (the cluster's worker pools). */
  public void resolveWorkersWith(Supplier<List<String>> directory) {
    this.workerDirectory = directory;
  }

  /** The worker id a worker label stands for; the label itself when no running pool has it. */
  String workerIdOf(String label) {
    String known = workerIdsByLabel.get(label);
    if (known != null) {
      return known;
    }
    try {
      workerDirectory.get().forEach(id -> workerIdsByLabel.put(HttpHandler.workerLabel(id), id));
    } catch (RuntimeException e) {
      // No node answered: the execution keeps its label, which names no node.
      return label;
    }
    return workerIdsByLabel.getOrDefault(label, label);
  }

  /** Where the ledger listens, on loopback. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Jobs call the ledger at {@code hostPort} from now on: where a {@link NetworkLab} publishes {@link #address()}. */
  public void publishedAt(String hostPort) {
    this.callAddress = hostPort;
  }

  /** The URL an {@code http} job calls to be recorded and answered after {@code hold}. */
  public URI url(Duration hold) {
    InetSocketAddress listening = server.getAddress();
    String hostPort = callAddress != null ? callAddress : listening.getAddress().getHostAddress() + ":" + listening.getPort();
    return URI.create("http://" + hostPort + PATH + "?ms=" + hold.toMillis());
  }

  /** As {@link #url(Duration)}, but attempts 1..{@code failedAttempts} are answered 500 (retryable) after the hold. */
  public URI url(Duration hold, int failedAttempts) {
    return URI.create(url(hold) + "&fail=" + failedAttempts);
  }

  /** Every execution so far, in the order they started. */
  public List<Execution> executions() {
    return executions.values().stream().sorted(Comparator.comparingLong(Execution::seq)).toList();
  }

  /** Executions by job id, each job's in the order they started. */
  public Map<String, List<Execution>> byJob() {
    return executions().stream().collect(Collectors.groupingBy(Execution::jobId, LinkedHashMap::new, Collectors.toList()));
  }

  /** Jobs that executed more than once, with all their executions in order. */
  public Map<String, List<Execution>> duplicates() {
    Map<String, List<Execution>> duplicates = new LinkedHashMap<>(byJob());
    duplicates.values().removeIf(runs -> runs.size() < 2);
    return duplicates;
  }

  /** The cluster addresses of the nodes that executed anything. */
  public Set<String> nodes() {
    return executions.values().stream().map(Execution::node).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Executions that had started on {@code node} and were still held at {@code instant}. */
  public List<Execution> heldOn(String node, Instant instant) {
    return executions().stream().filter(run -> run.node().equals(node) && run.heldAt(instant)).toList();
  }

  /** Calls held on {@code node} now that will still be held at {@code instant} (by the hold they asked for). */
  public List<Execution> heldOnUntil(String node, Instant instant) {
    return executions().stream()
        .filter(run -> run.node().equals(node) && run.end() == null && run.start().plus(run.hold()).isAfter(instant))
        .toList();
  }

  /** The calls held on {@code node} at {@code at}, and which of the node's jobs ran again elsewhere since. */
  public Redispatch redispatchOf(String node, Instant at) {
    Map<String, Execution> rerun = new LinkedHashMap<>();
    byJob().forEach((jobId, runs) -> {
      if (runs.stream().anyMatch(run -> run.node().equals(node) && run.start().isBefore(at))) {
        runs.stream().filter(run -> !run.node().equals(node) && !run.start().isBefore(at)).findFirst()
            .ifPresent(again -> rerun.put(jobId, again));
      }
    });
    return new Redispatch(node, at, heldOn(node, at), rerun);
  }

  /**
   * Jobs run twice at once: each pair of executions of one job, both matching {@code which}, where
   * the later started while the earlier was still held, as the job id and the two executions.
   */
  public List<String> overlapping(Predicate<Execution> which) {
    List<String> found = new ArrayList<>();
    byJob().forEach((jobId, runs) -> {
      List<Execution> candidates = runs.stream().filter(which).toList();
      for (int i = 0; i < candidates.size(); i++) {
        for (int j = i + 1; j < candidates.size(); j++) {
          if (candidates.get(i).heldAt(candidates.get(j).start())) {
            found.add(jobId + ": " + candidates.get(i) + " and " + candidates.get(j));
          }
        }
      }
    });
    return found;
  }

  /** How many calls are held right now. */
  public long held() {
    return executions.values().stream().filter(run -> run.end() == null).count();
  }

  /** The first execution of {@code jobId} not on {@code node} that started after {@code after}. */
  public Optional<Execution> firstElsewhereAfter(String jobId, String node, Instant after) {
    return executions().stream()
        .filter(run -> run.jobId().equals(jobId) && !run.node().equals(node) && !run.start().isBefore(after))
        .findFirst();
  }

  public int size() {
    return executions.size();
  }

  @Override
  public void close() {
    server.stop(0);
    answers.shutdownNow();
    requestThreads.shutdownNow();
  }

  /** The cluster address (host:port) in a worker id {@code host:port#uid/queue}. */
  static String nodeOf(String workerId) {
    return WorkerId.parse(workerId).map(WorkerId::address).orElse(workerId);
  }

  private void onCall(HttpExchange exchange) throws IOException {
    String jobId = exchange.getRequestHeaders().getFirst(JOB_ID_HEADER);
    String label = exchange.getRequestHeaders().getFirst(WORKER_HEADER);
    long hold;
    int attempt;
    int failedAttempts;
    try {
      hold = Math.min(MAX_HOLD_MS, Math.max(0, Long.parseLong(query(exchange, "ms").orElse("0"))));
      failedAttempts = Integer.parseInt(query(exchange, "fail").orElse("0"));
      attempt = Integer.parseInt(String.valueOf(exchange.getRequestHeaders().getFirst(ATTEMPT_HEADER)));
    } catch (NumberFormatException e) {
      respond(exchange, 400, "ms, fail and " + ATTEMPT_HEADER + " must be numbers");
      return;
    }
    if (jobId == null || label == null) {
      respond(exchange, 400, "missing " + JOB_ID_HEADER + " or " + WORKER_HEADER);
      return;
    }
    String worker = workerIdOf(label);
    long seq = sequence.incrementAndGet();
    executions.put(seq, new Execution(seq, jobId, attempt, worker, nodeOf(worker), Duration.ofMillis(hold), Instant.now(), null, false));
    int status = attempt <= failedAttempts ? 500 : 200;
    answers.schedule(() -> answer(exchange, seq, status), hold, TimeUnit.MILLISECONDS);
  }

  private void answer(HttpExchange exchange, long seq, int status) {
    boolean answered = true;
    try {
      respond(exchange, status, (status == 200 ? "ran " : "failed on purpose ") + seq);
    } catch (IOException e) {
      // The node went away while its call was held: it was killed, or its lease ended the call.
      answered = false;
    }
    Execution run = executions.get(seq);
    executions.put(seq, run.ended(Instant.now(), answered));
  }

  private static void respond(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    try {
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }

  private static Optional<String> query(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        return Optional.of(pair.substring(name.length() + 1));
      }
    }
    return Optional.empty();
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
