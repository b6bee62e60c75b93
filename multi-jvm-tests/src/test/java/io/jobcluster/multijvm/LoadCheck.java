package io.jobcluster.multijvm;

import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.JobTransition;
import io.jobcluster.protocol.client.JobclusterApiException;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.client.ListQuery;
import io.jobcluster.protocol.wire.JobPage;
import io.jobcluster.protocol.wire.JobSummary;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Checks a load from outside, through the public API and the ledger: every acknowledged job must
 * reach COMPLETED; the ones that do not are lost. Duplicates are the acknowledged jobs the ledger
 * saw executed more than once.
 */
public final class LoadCheck {
  private static final int PAGE = 1000;
  private static final int LOST_LOOKUPS = 100;
  private static final Duration POLL = Duration.ofSeconds(1);

  /**
   * @param completed the acknowledged jobs that completed, as the last listing showed them
   * @param lost acknowledged jobs that did not complete in time: id to the status they were in, or
   *     {@code missing} when the API does not know the job
   * @param duplicates acknowledged jobs executed more than once: their executions in order
   * @param unacknowledged jobs the ledger saw executed that no acknowledgement named (a submission
   *     given up after its job had been created)
   */
  public record Verdict(JobLoad.Outcome load, Map<String, JobSummary> completed, Map<String, String> lost,
                        Map<String, List<ExecutionLedger.Execution>> duplicates, Set<String> unacknowledged) {

    public int acknowledged() {
      return load.acknowledged().size();
    }

    /** Duplicates counted by the node that ran the job's first execution. */
    public Map<String, Long> duplicatesByFirstNode(Function<String, String> nodeName) {
      return duplicates.values().stream()
          .collect(Collectors.groupingBy(runs -> nodeName.apply(runs.get(0).node()), TreeMap::new, Collectors.counting()));
    }

    /** "none", or the count and where the first executions ran: {@code 7 (first run on node-2: 7)}. */
    public String duplicatesWhere(Function<String, String> nodeName) {
      if (duplicates.isEmpty()) {
        return "none";
      }
      return duplicates.size() + " (first run on " + duplicatesByFirstNode(nodeName).entrySet().stream()
          .map(entry -> entry.getKey() + ": " + entry.getValue()).collect(Collectors.joining(", ")) + ")";
    }

    /** Completed jobs that were charged more than one attempt or carry an error from a failed one. */
    public Map<String, JobSummary> withFailedAttempts() {
      Map<String, JobSummary> failed = new TreeMap<>(completed);
      failed.values().removeIf(job -> job.attempts() <= 1 && job.lastError() == null);
      return failed;
    }

    /** A few lines for a failure message. */
    public String summary() {
      return "submitted=" + load.submitted() + " acknowledged=" + acknowledged() + " completed=" + completed.size()
          + " lost=" + lost.size() + (lost.isEmpty() ? "" : " " + first(lost, 10))
          + " duplicates=" + duplicates.size() + (duplicates.isEmpty() ? "" : " " + first(duplicates, 10))
          + " gaveUp=" + load.gaveUp().size() + (load.gaveUp().isEmpty() ? "" : " " + first(load.gaveUp(), 3))
          + " refusals=" + load.refusals();
    }

    private static <K, V> String first(Map<K, V> map, int n) {
      return map.entrySet().stream().limit(n).map(Object::toString).collect(Collectors.joining("; ", "[", map.size() > n ? "; ...]" : "]"));
    }
  }

  private LoadCheck() {}

  /**
   * Lists the tenant's COMPLETED jobs (every page, through whichever node {@code client} gives)
   * until every acknowledged job is among them or {@code timeout} passes, then judges the load.
   * Never throws for a job that did not complete: the verdict says so, for the report first.
   */
  public static Verdict awaitCompleted(Supplier<JobclusterClient> client, JobLoad.Outcome load, ExecutionLedger ledger, Duration timeout) {
    Set<String> expected = load.acknowledged().keySet();
    Map<String, JobSummary> completed = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        completed.putAll(completedAmong(client.get(), expected));
      } catch (UncheckedIOException | JobclusterApiException e) {
        // A node going down or busy: the next poll asks another one.
      }
      if (completed.keySet().containsAll(expected) || System.nanoTime() - deadline >= 0) {
        break;
      }
      Poll.pause(POLL);
    }
    Map<String, String> lost = new TreeMap<>();
    expected.stream().filter(id -> !completed.containsKey(id)).sorted().forEach(id -> lost.put(id, "?"));
    lost.keySet().stream().limit(LOST_LOOKUPS).toList().forEach(id -> lost.put(id, statusOf(client, id)));
    Map<String, List<ExecutionLedger.Execution>> duplicates = new LinkedHashMap<>(ledger.duplicates());
    duplicates.keySet().retainAll(expected);
    Set<String> unacknowledged = new TreeSet<>(ledger.byJob().keySet());
    unacknowledged.removeAll(expected);
    return new Verdict(load, Map.copyOf(completed), lost, duplicates, unacknowledged);
  }

  /**
   * For each job, the first transition out of RUNNING into RETRYING or FAILED at or after
   * {@code after}, from its history: when (and why, in {@code detail}) an attempt ended without a
   * result, such as a lost worker's. Jobs without one are left out.
   */
  public static Map<String, JobTransition> failedAttemptsAfter(Supplier<JobclusterClient> client, Iterable<String> jobIds, Instant after) {
    Map<String, JobTransition> ends = new TreeMap<>();
    for (String jobId : jobIds) {
      client.get().history(jobId).stream()
          .filter(step -> step.from() == JobStatus.RUNNING && (step.to() == JobStatus.RETRYING || step.to() == JobStatus.FAILED))
          .filter(step -> !step.at().isBefore(after))
          .findFirst().ifPresent(step -> ends.put(jobId, step));
    }
    return ends;
  }

  private static Map<String, JobSummary> completedAmong(JobclusterClient client, Set<String> expected) {
    Map<String, JobSummary> found = new HashMap<>();
    ListQuery query = ListQuery.all().withStatus(JobStatus.COMPLETED).withLimit(PAGE);
    JobPage page;
    do {
      page = client.list(query);
      page.items().stream().filter(job -> expected.contains(job.id())).forEach(job -> found.put(job.id(), job));
      query = query.withCursor(page.nextCursor());
    } while (page.hasMore());
    return found;
  }

  private static String statusOf(Supplier<JobclusterClient> client, String id) {
    try {
      return client.get().get(id).status().name();
    } catch (JobclusterApiException e) {
      return e.status() == 404 ? "missing" : "unknown (" + e.status() + ")";
    } catch (UncheckedIOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
