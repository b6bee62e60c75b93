package io.jobcluster.node.cli;

import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.wire.JobJson;
import io.jobcluster.protocol.wire.QueueInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code jobcluster watch}: follows a job until it ends (exit 0 if COMPLETED, else 6), or a queue until
 * interrupted (or, with {@code --until-idle}, until nothing is pending, scheduled, running or retrying).
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Follow a job until it ends, or a queue until interrupted, with a live status line.",
        "On a terminal the line is redrawn in place; otherwise a line is printed at each change (--json: one JSON object per line)."})
final class WatchCommand extends ApiCommand {
  @ArgGroup(multiplicity = "1")
  Target target;

  @Option(names = "--until-idle", description = "With --queue: end (exit 0) once the queue has nothing pending, scheduled, running or retrying.")
  boolean untilIdle;

  @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "500", description = "Between reads (default ${DEFAULT-VALUE}).")
  long intervalMs;

  /** A job or a queue, not both. */
  static final class Target {
    @Parameters(index = "0", arity = "0..1", paramLabel = "JOB_ID", description = "The job to follow.")
    String jobId;

    @Option(names = {"-q", "--queue"}, description = "Follow this queue's depth instead.")
    String queue;
  }

  @Override
  int call(JobclusterClient client, Output output) throws InterruptedException {
    if (untilIdle && target.queue == null) {
      throw new ParameterException(spec.commandLine(), "--until-idle goes with --queue");
    }
    JobPoller poller = new JobPoller(client, Duration.ofMillis(Math.max(50, intervalMs)));
    ProgressLine line = new ProgressLine(output.out(), environment().terminal() && !output.json());
    // Ctrl-C ends the JVM (exit 130): end the line drawn in place first, so that the shell's prompt starts on a line of its own.
    Thread endLine = new Thread(line::finish, "jobcluster-watch-end-line");
    Runtime.getRuntime().addShutdownHook(endLine);
    try {
      return target.jobId != null ? job(poller, target.jobId, line, output) : queue(client, poller, line, output);
    } finally {
      Runtime.getRuntime().removeShutdownHook(endLine);
      line.finish();
    }
  }

  private static int job(JobPoller poller, String jobId, ProgressLine line, Output output) throws InterruptedException {
    JobView[] last = {null};
    JobView ended = poller.awaitEnd(jobId, job -> {
      if (output.json()) {
        if (last[0] == null || changed(last[0], job)) {
          output.printJson(JobJson.of(job));
        }
      } else {
        line.show(describe(job), Formats.duration(Duration.between(job.createdAt(), Instant.now())));
      }
      last[0] = job;
    });
    return ExitCodes.forOutcome(ended.status());
  }

  private int queue(JobclusterClient client, JobPoller poller, ProgressLine line, Output output) throws InterruptedException {
    QueueInfo last = null;
    while (true) {
      QueueInfo now = client.queues().stream().filter(queue -> queue.queue().equals(target.queue)).findFirst()
          .orElse(new QueueInfo(target.queue, 0, 0, 0, 0, null, 0, 0, 0, List.of()));
      if (output.json()) {
        if (!now.equals(last)) {
          output.printJson(now);
        }
      } else {
        line.show(describe(now), Formats.time(Instant.now()));
      }
      last = now;
      if (untilIdle && now.pending() + now.scheduled() + now.running() + now.retrying() == 0) {
        return ExitCodes.OK;
      }
      poller.pause();
    }
  }

  /** What the JSON stream prints again: a change of status, attempt, progress, result or error (not a lease renewal). */
  private static boolean changed(JobView before, JobView after) {
    return before.status() != after.status() || before.attempts() != after.attempts()
        || !Objects.equals(before.progress(), after.progress()) || !Objects.equals(before.lastError(), after.lastError());
  }

  static String describe(JobView job) {
    StringBuilder text = new StringBuilder(job.id()).append("  ").append(job.type()).append(" on ").append(job.queue())
        .append("  ").append(job.status()).append("  attempt ").append(job.attempts()).append('/').append(job.maxAttempts());
    if (job.progress() != null) {
      text.append("  progress ").append(job.progress());
    }
    if (job.lastError() != null) {
      text.append("  error: ").append(job.lastError());
    }
    return text.toString();
  }

  static String describe(QueueInfo queue) {
    return String.format("%s  pending %d  scheduled %d  running %d  retrying %d  oldest %s  workers %d (capacity %d)",
        queue.queue(), queue.pending(), queue.scheduled(), queue.running(), queue.retrying(),
        queue.oldestPendingAgeSeconds() == null ? "-" : Formats.seconds(queue.oldestPendingAgeSeconds()), queue.workers(), queue.capacity());
  }
}
