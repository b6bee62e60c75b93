package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.BackoffPolicy;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.wire.JobTransition;
import io.jobcluster.protocol.client.JobclusterApiException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario f: nodes holding deadlines are killed ({@code kill -9}) and every deadline still fires
 * on the survivors. Two rounds, each with fresh jobs of four kinds whose deadlines fall after the
 * kill:
 * <ul>
 *   <li>backoff: the ledger fails attempt 1 (500, retryable), so the job waits in RETRYING for its
 *       backoff, then attempt 2 completes;
 *   <li>lease: calls held 12 s with {@code timeoutSeconds} 20, running on every node's workers, so
 *       some are on the killed node: their leases must end (lost node, lease deadline) and the
 *       jobs run again elsewhere;
 *   <li>runAt: SCHEDULED jobs that must become PENDING and run, never early;
 *   <li>expiry: jobs on a queue no worker serves, with an {@code expiresAt}: they must EXPIRE.
 * </ul>
 * Job entities (and their timers) are spread over the nodes by sharding, which the API does not
 * show: with a few dozen jobs per kind, each node holds some of each. Round 1 kills the node that
 * runs the {@code default} queue's dispatcher; round 2 kills one of the two survivors, the one with
 * the higher address, since in an even split the Split Brain Resolver (keep-majority) keeps the side
 * with the lowest address. The lone survivor then holds every shard.
 */
@MultiJvmTest
class DeadlinesSurviveKillsChaosTest {
  static final String SCENARIO = "f. deadlines fire after the nodes holding them are killed";
  private static final String UNSERVED = "unserved";
  private static final int PER_KIND = 12;
  private static final int SLOTS = 8;
  private static final Duration BACKOFF = Duration.ofSeconds(20);
  private static final Duration LEASE_HOLD = Duration.ofSeconds(12);
  private static final int LEASE_TIMEOUT_SECONDS = 20;
  /** From the submission of runAt and expiry jobs to their deadline: well after the kill and the downing. */
  private static final Duration DEADLINE_AHEAD = Duration.ofSeconds(25);
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);
  /** Generous: downing (~10 s), shard recovery, the latest deadline (25 s) and a 12 s call again; real figures go to the report. */
  private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(150);
  private static final Duration POLL = Duration.ofMillis(500);

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  /** One round's jobs by kind, and what was seen of them before the kill. */
  private record Round(String name, Map<String, List<String>> byKind, Map<String, Instant> retryAt, Map<String, Instant> runAt,
                       Map<String, Instant> expiresAt) {
    List<String> all() {
      return byKind.values().stream().flatMap(List::stream).toList();
    }

    JobStatus expected(String jobId) {
      return byKind.get("expiry").contains(jobId) ? JobStatus.EXPIRED : JobStatus.COMPLETED;
    }
  }

  /** What one round saw: its jobs' last views (settled or not) and how the killed node's work moved. */
  private record Outcome(Round round, NodeProcess victim, Instant kill, Map<String, JobView> views, Map<String, String> readFailures,
                         Set<String> leasedOnVictim, Set<String> leasedOnSurvivors, String summary) {
    List<String> unsettled() {
      return round.all().stream().filter(id -> !views.containsKey(id) || views.get(id).status() != round.expected(id)).toList();
    }
  }

  @Test
  void everyDeadlineFiresOnTheSurvivorsAfterTheNodesHoldingThemAreKilled() {
    long started = System.nanoTime();
    try (ChaosCluster chaos = ChaosCluster.start("DeadlinesSurviveKillsChaosTest", POSTGRES, 3, Map.of())) {
      Poll.until("the default queue's dispatcher met the worker pools", SETUP_TIMEOUT, () -> !chaos.dispatcherNodes("default").isEmpty());
      NodeProcess dispatcherNode = byName(chaos, chaos.dispatcherNodes("default").get(0));
      List<Outcome> outcomes = new ArrayList<>();
      for (int number = 1; number <= 2; number++) {
        List<NodeProcess> running = chaos.cluster().running();
        NodeProcess victim = number == 1 ? dispatcherNode : running.get(running.size() - 1);
        Round round = submitRound(chaos, "f" + number, running.size());
        Set<String> leasedOnVictim = heldOn(chaos, victim, round.byKind().get("lease"));
        Set<String> leasedOnSurvivors = new TreeSet<>();
        running.stream().filter(node -> node != victim).forEach(node -> leasedOnSurvivors.addAll(heldOn(chaos, node, round.byKind().get("lease"))));
        String dispatcherBefore = currentDispatcher(chaos);

        Instant kill = Instant.now();
        victim.kill9();
        Map<String, String> readFailures = new TreeMap<>();
        Map<String, JobView> views = awaitSettled(chaos, round, ROUND_TIMEOUT, readFailures);
        Duration took = Duration.between(kill, Instant.now());
        long settled = round.all().stream().filter(id -> views.containsKey(id) && views.get(id).status() == round.expected(id)).count();
        Outcome outcome = new Outcome(round, victim, kill, views, readFailures, leasedOnVictim, leasedOnSurvivors, "round " + number + ": killed " + victim.name()
            + " (dispatcher was on " + dispatcherBefore + ", " + leasedOnVictim.size() + " lease jobs running on it); "
            + settled + " of " + round.all().size() + " jobs settled " + ReliabilityReport.seconds(took) + " after the kill; "
            + lateness(chaos, round, views, victim, kill, leasedOnVictim) + "; of the " + leasedOnSurvivors.size()
            + " lease jobs running on the survivors " + ranAgain(chaos, leasedOnSurvivors, kill) + "; " + chaos.downingSteps(victim, kill));
        outcomes.add(outcome);
        if (!outcome.unsettled().isEmpty()) {
          break;
        }
        chaos.cluster().awaitMembers(running.size() - 1);
      }
      record(chaos, outcomes, Duration.ofNanos(System.nanoTime() - started));

      for (Outcome outcome : outcomes) {
        assertTrue(outcome.unsettled().isEmpty(), () -> outcome.round().name() + ": not settled " + ROUND_TIMEOUT + " after the kill: "
            + outcome.unsettled().stream().map(id -> diagnose(chaos, outcome, id)).collect(Collectors.joining("\n")));
        assertFalse(outcome.leasedOnVictim().isEmpty(), outcome.round().name() + ": lease jobs were running on " + outcome.victim().name());
        checkRound(chaos, outcome);
      }
      assertEquals(2, outcomes.size());
      Set<String> inFlightAtKills = outcomes.stream().flatMap(outcome -> Stream.concat(outcome.leasedOnVictim().stream(),
          outcome.leasedOnSurvivors().stream())).collect(Collectors.toSet());
      assertTrue(inFlightAtKills.containsAll(ranTwice(chaos, outcomes).keySet()),
          "only lease jobs whose call was running at a kill ran twice: " + ranTwice(chaos, outcomes));
    }
  }

  /** What is known of a job that did not settle: its kind, last view, history, runs, and every node log line naming it. */
  private static String diagnose(ChaosCluster chaos, Outcome outcome, String jobId) {
    String kind = outcome.round().byKind().entrySet().stream().filter(entry -> entry.getValue().contains(jobId))
        .map(Map.Entry::getKey).findFirst().orElse("?");
    JobView view = outcome.views().get(jobId);
    StringBuilder text = new StringBuilder(jobId + " (" + kind + ") = " + (view == null ? "unread" : view.status() + " attempts="
        + view.attempts() + " worker=" + view.workerId() + " leaseExpiresAt=" + view.leaseExpiresAt() + " runAt=" + view.runAt()
        + " updatedAt=" + view.updatedAt()));
    Optional.ofNullable(outcome.readFailures().get(jobId)).ifPresent(failure -> text.append("\n  reads failing since ").append(failure));
    try {
      chaos.anyClient().history(jobId).forEach(step -> text.append("\n  history: ").append(step));
    } catch (RuntimeException e) {
      text.append("\n  history unreadable: ").append(e.getMessage());
    }
    chaos.ledger().byJob().getOrDefault(jobId, List.of()).forEach(run -> text.append("\n  ran: ").append(run));
    chaos.cluster().nodes().forEach(node -> node.logLinesContaining(jobId)
        .forEach(line -> text.append("\n  log ").append(node.name()).append(": ").append(line)));
    return text.toString();
  }

  private static void record(ChaosCluster chaos, List<Outcome> outcomes, Duration runTime) {
    int submitted = outcomes.stream().mapToInt(outcome -> outcome.round().all().size()).sum();
    int unsettled = outcomes.stream().mapToInt(outcome -> outcome.unsettled().size()).sum();
    long completed = outcomes.stream().flatMap(outcome -> outcome.views().values().stream())
        .filter(job -> job.status() == JobStatus.COMPLETED).count();
    long expired = outcomes.stream().flatMap(outcome -> outcome.views().values().stream())
        .filter(job -> job.status() == JobStatus.EXPIRED).count();
    Map<String, List<ExecutionLedger.Execution>> twice = ranTwice(chaos, outcomes);
    long onVictims = twice.keySet().stream().filter(id -> outcomes.stream().anyMatch(outcome -> outcome.leasedOnVictim().contains(id))).count();
    ReliabilityReport.record(new ReliabilityReport.Row(SCENARIO, submitted, submitted, (int) completed, unsettled,
        twice.isEmpty() ? "none" : twice.size() + " lease jobs: " + onVictims + " whose call the kill cut, " + (twice.size() - onVictims)
            + " running on a survivor whose " + LEASE_TIMEOUT_SECONDS + " s lease ran out while the job's entity moved off the killed node",
        outcomes.stream().map(Outcome::summary).collect(Collectors.joining(" | ")), ReliabilityReport.seconds(runTime),
        "per round " + PER_KIND + " backoff jobs (attempt 1 answered 500, backoff " + BACKOFF.toSeconds() + " s with jitter), " + SLOTS
            + " lease jobs per live node (" + LEASE_HOLD.toSeconds() + " s calls, timeoutSeconds " + LEASE_TIMEOUT_SECONDS + "), "
            + PER_KIND + " runAt jobs and " + PER_KIND + " expiry jobs (queue '" + UNSERVED + "', no workers) due "
            + DEADLINE_AHEAD.toSeconds() + " s after their submission; 'completed' counts COMPLETED, and " + expired
            + " more EXPIRED as they should; 'lost' counts jobs not in their expected end state; lateness = when it fired − its deadline",
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
  }

  /** Jobs that ran more often than planned (backoff jobs twice, every other job once). */
  private static Map<String, List<ExecutionLedger.Execution>> ranTwice(ChaosCluster chaos, List<Outcome> outcomes) {
    Map<String, List<ExecutionLedger.Execution>> runs = chaos.ledger().byJob();
    Map<String, List<ExecutionLedger.Execution>> twice = new TreeMap<>();
    for (Outcome outcome : outcomes) {
      outcome.round().all().forEach(id -> {
        int planned = outcome.round().byKind().get("backoff").contains(id) ? 2 : 1;
        List<ExecutionLedger.Execution> ofJob = runs.getOrDefault(id, List.of());
        if (ofJob.size() > planned) {
          twice.put(id, ofJob);
        }
      });
    }
    return twice;
  }

  /** Submits a round's four kinds of jobs and waits until the backoff jobs are RETRYING and the lease jobs RUNNING. */
  private static Round submitRound(ChaosCluster chaos, String name, int liveNodes) {
    ExecutionLedger ledger = chaos.ledger();
    Map<String, List<String>> byKind = new LinkedHashMap<>();
    BackoffPolicy slow = BackoffPolicy.exponential(BACKOFF.toSeconds(), 1, BACKOFF.toSeconds());
    byKind.put("backoff", submitAll(chaos, name + "-backoff", PER_KIND, i -> http(ledger.url(Duration.ZERO, 1).toString())
        .withBackoff(slow).withMaxAttempts(3)));
    Map<String, Instant> retryAt = new HashMap<>();
    Poll.untilAsserted(SETUP_TIMEOUT, () -> byKind.get("backoff").forEach(id -> {
      JobView view = view(chaos, id);
      assertEquals(JobStatus.RETRYING, view.status(), id + " after its failed first attempt");
      retryAt.put(id, view.runAt());
    }));

    byKind.put("lease", submitAll(chaos, name + "-lease", SLOTS * liveNodes, i -> http(ledger.url(LEASE_HOLD).toString())
        .withTimeoutSeconds(LEASE_TIMEOUT_SECONDS).withBackoff(BackoffPolicy.exponential(1, 1, 1)).withMaxAttempts(5)));
    Poll.until("every lease job's call is held", SETUP_TIMEOUT,
        () -> byKind.get("lease").stream().allMatch(id -> ledger.byJob().getOrDefault(id, List.of()).stream().anyMatch(run -> run.end() == null)));

    Instant due = Instant.now().plus(DEADLINE_AHEAD);
    byKind.put("runAt", submitAll(chaos, name + "-runat", PER_KIND, i -> http(ledger.url(Duration.ZERO).toString()).withRunAt(due)));
    byKind.put("expiry", submitAll(chaos, name + "-expiry", PER_KIND, i -> http(ledger.url(Duration.ZERO).toString())
        .withQueue(UNSERVED).withExpiresAt(due)));
    Map<String, Instant> runAt = new HashMap<>();
    Map<String, Instant> expiresAt = new HashMap<>();
    byKind.get("runAt").forEach(id -> runAt.put(id, due));
    byKind.get("expiry").forEach(id -> expiresAt.put(id, due));
    return new Round(name, byKind, retryAt, runAt, expiresAt);
  }

  private static JobRequest http(String url) {
    return JobRequest.of("http").withPayload("{\"url\":\"" + url + "\"}");
  }

  /** Submits n jobs with idempotency keys {@code prefix-i}, each retried until acknowledged. */
  private static List<String> submitAll(ChaosCluster chaos, String prefix, int n, Function<Integer, JobRequest> request) {
    return IntStream.range(0, n).mapToObj(i -> {
      String[] id = new String[1];
      Poll.untilAsserted(SETUP_TIMEOUT, () -> {
        try {
          id[0] = chaos.anyClient().submit(request.apply(i), prefix + "-" + i).job().id();
        } catch (JobclusterApiException | UncheckedIOException e) {
          throw new AssertionError("submitting " + prefix + "-" + i + ": " + e.getMessage(), e);
        }
      });
      return id[0];
    }).toList();
  }

  private static JobView view(ChaosCluster chaos, String jobId) {
    try {
      return chaos.anyClient().get(jobId);
    } catch (JobclusterApiException | UncheckedIOException e) {
      throw new AssertionError("reading " + jobId + ": " + e.getMessage(), e);
    }
  }

  /**
   * Polls every job of the round until each is in its expected terminal status or the timeout passes; answers the last views. A
   * view that could not be read keeps the one before it, and {@code readFailures} says when and why the last read failed.
   */
  private static Map<String, JobView> awaitSettled(ChaosCluster chaos, Round round, Duration timeout, Map<String, String> readFailures) {
    Map<String, JobView> last = new TreeMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (String id : round.all()) {
        if (!last.containsKey(id) || last.get(id).status() != round.expected(id)) {
          try {
            last.put(id, chaos.anyClient().get(id));
            readFailures.remove(id);
          } catch (JobclusterApiException | UncheckedIOException e) {
            // A node going down or busy: asked again at the next poll.
            readFailures.merge(id, Instant.now() + " " + e.getMessage(), (first, latest) -> first.substring(0, first.indexOf(' ')) + " until " + latest);
          }
        }
      }
      boolean settled = round.all().stream().allMatch(id -> last.containsKey(id) && last.get(id).status() == round.expected(id));
      if (settled || System.nanoTime() - deadline >= 0) {
        return last;
      }
      Poll.pause(POLL);
    }
  }

  private static void checkRound(ChaosCluster chaos, Outcome outcome) {
    Round round = outcome.round();
    Map<String, List<ExecutionLedger.Execution>> runs = chaos.ledger().byJob();
    round.byKind().get("expiry").forEach(id -> assertFalse(runs.containsKey(id), id + " expired without running"));
    round.byKind().get("backoff").forEach(id -> {
      List<ExecutionLedger.Execution> attempts = runs.get(id);
      assertTrue(attempts.stream().anyMatch(run -> run.attempt() >= 2 && !run.start().isBefore(round.retryAt().get(id))),
          id + " ran again after its backoff (" + round.retryAt().get(id) + "): " + attempts);
    });
    round.byKind().get("runAt").forEach(id -> assertFalse(runs.get(id).get(0).start().isBefore(round.runAt().get(id)),
        id + " ran before its runAt: " + runs.get(id)));
    outcome.leasedOnVictim().forEach(id -> assertTrue(
        chaos.ledger().firstElsewhereAfter(id, outcome.victim().clusterAddress(), outcome.kill()).isPresent(),
        id + " was running on " + outcome.victim().name() + " and ran again elsewhere: " + runs.get(id)));
  }

  /** Per kind, how late the deadlines fired: "backoff late 0.4-12.1 s, ...". */
  private static String lateness(ChaosCluster chaos, Round round, Map<String, JobView> views, NodeProcess victim, Instant kill,
      Set<String> leasedOnVictim) {
    Map<String, List<ExecutionLedger.Execution>> runs = chaos.ledger().byJob();
    List<Duration> backoff = round.byKind().get("backoff").stream().map(id -> runs.getOrDefault(id, List.of()).stream()
        .filter(run -> run.attempt() >= 2).map(run -> Duration.between(round.retryAt().get(id), run.start())).findFirst())
        .flatMap(Optional::stream).toList();
    List<Duration> runAt = round.byKind().get("runAt").stream().filter(runs::containsKey)
        .map(id -> Duration.between(round.runAt().get(id), runs.get(id).get(0).start())).toList();
    List<Duration> expiry = round.byKind().get("expiry").stream()
        .filter(id -> views.containsKey(id) && views.get(id).status() == JobStatus.EXPIRED)
        .map(id -> Duration.between(round.expiresAt().get(id), views.get(id).finishedAt())).toList();
    List<Duration> lease = leasedOnVictim.stream().map(id -> chaos.ledger().firstElsewhereAfter(id, victim.clusterAddress(), kill))
        .flatMap(Optional::stream).map(run -> Duration.between(kill, run.start())).toList();
    return "backoff late " + range(backoff) + ", runAt late " + range(runAt) + ", expiry late " + range(expiry)
        + ", lease jobs of the killed node ran again " + range(lease) + " after the kill (ended by " + attemptEnds(chaos, leasedOnVictim, kill) + ")";
  }

  /** "2 ran again (ended by {...})" or "none ran again": attempts of jobs running on surviving nodes that still ended without a result. */
  private static String ranAgain(ChaosCluster chaos, Set<String> jobIds, Instant kill) {
    Map<String, List<ExecutionLedger.Execution>> runs = chaos.ledger().byJob();
    Set<String> again = jobIds.stream().filter(id -> runs.getOrDefault(id, List.of()).size() > 1).collect(Collectors.toCollection(TreeSet::new));
    return again.isEmpty() ? "none ran again" : again.size() + " ran again (ended by " + attemptEnds(chaos, again, kill) + ")";
  }

  /** How the first attempt of each job that ended without a result after {@code kill} ended (history detail), counted; lease renewals (RUNNING to RUNNING) end nothing. */
  private static Map<String, Long> attemptEnds(ChaosCluster chaos, Set<String> jobIds, Instant kill) {
    Map<String, Long> ends = new TreeMap<>();
    jobIds.forEach(id -> chaos.anyClient().history(id).stream()
        .filter(step -> step.from() == JobStatus.RUNNING && step.to() != JobStatus.COMPLETED && step.to() != JobStatus.RUNNING
            && !step.at().isBefore(kill))
        .findFirst().map(JobTransition::detail)
        .ifPresent(detail -> ends.merge(String.valueOf(detail).replaceAll("[0-9a-f.:]+#-?[0-9]+/\\S+", "<worker>"), 1L, Long::sum)));
    return ends;
  }

  private static String range(List<Duration> durations) {
    if (durations.isEmpty()) {
      return "(none)";
    }
    List<Duration> sorted = durations.stream().sorted().toList();
    return ReliabilityReport.seconds(sorted.get(0)) + "–" + ReliabilityReport.seconds(sorted.get(sorted.size() - 1));
  }

  private static Set<String> heldOn(ChaosCluster chaos, NodeProcess node, List<String> jobIds) {
    Set<String> ids = Set.copyOf(jobIds);
    return chaos.ledger().heldOn(node.clusterAddress(), Instant.now()).stream().map(ExecutionLedger.Execution::jobId)
        .filter(ids::contains).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The node whose log last showed the default queue's dispatcher meeting a worker pool. */
  private static String currentDispatcher(ChaosCluster chaos) {
    return chaos.cluster().running().stream()
        .flatMap(node -> node.logLinesContaining("worker pool joined queue=default ").stream().map(line -> Map.entry(line, node.name())))
        .max(Map.Entry.comparingByKey(Comparator.naturalOrder())).map(Map.Entry::getValue).orElse("?");
  }

  private static NodeProcess byName(ChaosCluster chaos, String name) {
    return chaos.cluster().nodes().stream().filter(node -> node.name().equals(name)).findFirst().orElseThrow();
  }

}
