package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.JobService;
import io.jobcluster.protocol.JobReply;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** Submitting and watching jobs through the node's JobService, the way the HTTP gateway will. */
public final class Jobs {
  static final String TENANT = "acme";
  private static final int BATCH = 500;

  private Jobs() {}

  static JobView submit(JobService jobs, JobRequest request) throws Exception {
    return submit(jobs, TENANT, request);
  }

  static JobView submit(JobService jobs, String tenant, JobRequest request) throws Exception {
    return view(jobs.submit(tenant, request).toCompletableFuture().get(30, TimeUnit.SECONDS));
  }

  /** Submits all requests, {@value #BATCH} at a time; answers the ids in request order. */
  static List<String> submitAll(JobService jobs, List<JobRequest> requests) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int from = 0; from < requests.size(); from += BATCH) {
      List<CompletableFuture<JobReply>> batch = requests.subList(from, Math.min(requests.size(), from + BATCH)).stream()
          .map(request -> jobs.submit(TENANT, request).toCompletableFuture()).toList();
      for (var reply : batch) {
        ids.add(view(reply.get(60, TimeUnit.SECONDS)).id());
      }
    }
    return ids;
  }

  static JobView get(JobService jobs, String id) throws Exception {
    return view(jobs.get(TENANT, id).toCompletableFuture().get(30, TimeUnit.SECONDS));
  }

  /** Polls until every job satisfies {@code condition}; answers their last views. */
  public static Map<String, JobView> await(JobService jobs, List<String> ids, Predicate<JobView> condition, Duration timeout, String what) {
    Map<String, JobView> done = new HashMap<>();
    List<String> waiting = new ArrayList<>(ids);
    Awaitility.await("every job " + what).atMost(timeout).untilAsserted(() -> {
      List<String> still = new ArrayList<>();
      JobView example = null;
      for (int from = 0; from < waiting.size(); from += BATCH) {
        List<String> batchIds = waiting.subList(from, Math.min(waiting.size(), from + BATCH));
        // Any tenant's job: tests submit as several.
        List<CompletableFuture<JobReply>> batch = batchIds.stream().map(id -> jobs.get(null, id).toCompletableFuture()).toList();
        for (int i = 0; i < batch.size(); i++) {
          JobView view = answered(batch.get(i));
          if (view != null && condition.test(view)) {
            done.put(view.id(), view);
          } else {
            still.add(batchIds.get(i));
            example = view != null ? view : example;
          }
        }
      }
      waiting.clear();
      waiting.addAll(still);
      assertTrue(still.isEmpty(), still.size() + " jobs never became " + what + "; e.g. " + example);
    });
    return done;
  }

  /** The job's view, or null while its entity does not answer (its shard is moving to another node). */
  private static JobView answered(CompletableFuture<JobReply> reply) throws Exception {
    try {
      return view(reply.get(30, TimeUnit.SECONDS));
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof java.util.concurrent.TimeoutException) {
        return null;
      }
      throw e;
    }
  }

  static Map<String, JobView> awaitStatus(JobService jobs, List<String> ids, JobStatus status, Duration timeout) throws Exception {
    return await(jobs, ids, view -> view.status() == status, timeout, status.name());
  }

  static JobView view(JobReply reply) {
    return assertInstanceOf(JobReply.Accepted.class, reply, () -> "rejected: " + reply).job();
  }
}
