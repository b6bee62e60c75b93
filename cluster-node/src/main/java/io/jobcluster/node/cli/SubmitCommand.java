package io.jobcluster.node.cli;

import io.jobcluster.protocol.BackoffPolicy;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.client.BatchItem;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.client.Submission;
import io.jobcluster.protocol.wire.BatchItemJson;
import io.jobcluster.protocol.wire.Items;
import io.jobcluster.protocol.wire.JobJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code jobcluster submit}: one job from flags, or one job or a batch from a JSON file or standard input. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Submit a job from flags, or one job or a batch from a JSON file ('-' for standard input).",
        "A file holds a job as POST /v1/jobs takes it, an array of jobs, or {\"jobs\": [...]}."})
final class SubmitCommand extends ApiCommand {
  @Option(names = {"-t", "--type"}, description = "The job type (required without --file), e.g. noop, sleep, http.")
  String type;

  @Option(names = {"-q", "--queue"}, description = "The queue (default: default).")
  String queue;

  @Option(names = {"-p", "--payload"}, paramLabel = "JSON", description = "The payload, a JSON value, e.g. '{\"ms\":2000}'.")
  String payload;

  @Option(names = "--priority", description = "0..9, higher first (default 5).")
  Integer priority;

  @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts before the job is FAILED (default 3).")
  Integer maxAttempts;

  @Option(names = "--timeout-seconds", paramLabel = "S", description = "Per attempt (default 300).")
  Integer timeoutSeconds;

  @Option(names = "--backoff", paramLabel = "INITIAL,MULTIPLIER,MAX", split = ",",
      description = "Retry backoff in seconds, e.g. 1,2,300 (the default).")
  List<Double> backoff;

  @Option(names = "--run-at", paramLabel = "ISO-8601", description = "Earliest start, e.g. 2030-01-01T08:00:00Z.")
  Instant runAt;

  @Option(names = "--delay-seconds", paramLabel = "S", description = "Earliest start, from now.")
  Long delaySeconds;

  @Option(names = "--expires-at", paramLabel = "ISO-8601", description = "Latest start; not started by then: EXPIRED.")
  Instant expiresAt;

  @Option(names = "--ttl-seconds", paramLabel = "S", description = "Latest start, from now.")
  Long ttlSeconds;

  @Option(names = {"-k", "--idempotency-key"}, paramLabel = "KEY", description = "The same key again answers the same job.")
  String idempotencyKey;

  @Option(names = "--tag", paramLabel = "TAG", description = "A tag (repeatable).")
  List<String> tags;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the job(s) from FILE, or '-' for standard input.")
  String file;

  @Option(names = {"-w", "--wait"}, description = "Wait until the job(s) end; exit 0 only if all COMPLETED (else 6).")
  boolean await;

  @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "500", description = "With --wait: between reads (default ${DEFAULT-VALUE}).")
  long intervalMs;

  @Override
  int call(JobclusterClient client, Output output) throws InterruptedException {
    JobFiles.Jobs jobs = file != null ? fromFile() : new JobFiles.Jobs(List.of(fromFlags()), false);
    if (!jobs.batch()) {
      return single(client, output, jobs.requests().get(0));
    }
    return batch(client, output, jobs.requests());
  }

  private JobFiles.Jobs fromFile() {
    boolean flags = Stream.of(type, queue, payload, priority, maxAttempts, timeoutSeconds, backoff, runAt, delaySeconds, expiresAt,
        ttlSeconds, idempotencyKey, tags).anyMatch(value -> value != null);
    if (flags) {
      throw new ParameterException(spec.commandLine(), "--file takes the whole job from the file: leave out the job's flags");
    }
    return JobFiles.read(file, environment().stdin());
  }

  private JobRequest fromFlags() {
    if (type == null) {
      throw new ParameterException(spec.commandLine(), "give --type (or --file)");
    }
    return new JobRequest(queue, type, payload, priority, maxAttempts, timeoutSeconds, backoffPolicy(), runAt, delaySeconds, expiresAt,
        ttlSeconds, idempotencyKey, tags);
  }

  private BackoffPolicy backoffPolicy() {
    if (backoff == null) {
      return null;
    }
    if (backoff.size() != 3) {
      throw new ParameterException(spec.commandLine(), "--backoff takes three numbers: INITIAL,MULTIPLIER,MAX (seconds)");
    }
    return BackoffPolicy.exponential(backoff.get(0), backoff.get(1), backoff.get(2));
  }

  private int single(JobclusterClient client, Output output, JobRequest request) throws InterruptedException {
    Submission submission = client.submit(request);
    JobView job = submission.job();
    if (await) {
      job = new JobPoller(client, Duration.ofMillis(intervalMs)).awaitEnd(job.id(), seen -> { });
    }
    if (output.json()) {
      output.printJson(JobJson.of(job));
    } else if (await) {
      JobViews.printJob(output, job);
    } else {
      output.println((submission.created() ? "Submitted " : "Exists already (same idempotency key): ") + job.id()
          + " (" + job.type() + " on " + job.queue() + ", " + job.status() + ")");
    }
    return await ? ExitCodes.forOutcome(job.status()) : ExitCodes.OK;
  }

  private int batch(JobclusterClient client, Output output, List<JobRequest> requests) throws InterruptedException {
    List<BatchItem> items = new ArrayList<>(client.submitBatch(requests));
    int outcome = ExitCodes.OK;
    if (await) {
      JobPoller poller = new JobPoller(client, Duration.ofMillis(intervalMs));
      for (int i = 0; i < items.size(); i++) {
        BatchItem item = items.get(i);
        if (item.accepted()) {
          JobView ended = poller.awaitEnd(item.job().id(), seen -> { });
          items.set(i, new BatchItem(item.index(), item.status(), ended, null));
          outcome = Math.max(outcome, ExitCodes.forOutcome(ended.status()));
        }
      }
    }
    print(output, items);
    List<BatchItem> refused = items.stream().filter(item -> !item.accepted()).toList();
    if (refused.isEmpty()) {
      return outcome;
    }
    return refused.size() == items.size() ? ExitCodes.forStatus(refused.get(0).status()) : ExitCodes.PARTIAL;
  }

  private static void print(Output output, List<BatchItem> items) {
    if (output.json()) {
      output.printJson(new Items<>(items.stream()
          .map(item -> new BatchItemJson(item.index(), item.status(), item.job() == null ? null : JobJson.of(item.job()), item.error()))
          .toList()));
      return;
    }
    output.printTable(List.of("#", "HTTP", "JOB", "STATUS", "ERROR"), items.stream()
        .map(item -> List.of(Integer.toString(item.index()), Integer.toString(item.status()),
            item.job() == null ? "-" : item.job().id(), item.job() == null ? "-" : item.job().status().name(),
            item.error() == null ? "-" : item.error().error() + ": " + item.error().message()))
        .toList());
  }
}
