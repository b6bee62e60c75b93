package io.jobcluster.node.cli;

import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.wire.Items;
import io.jobcluster.protocol.wire.JobTransition;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The commands on one job: {@code get}, {@code cancel}, {@code retry}, {@code delete}, {@code history}. */
final class JobCommands {
  private JobCommands() {}

  /** What {@code delete --json} prints: the API answers 204 without a body. */
  record Deleted(String id, boolean deleted) {}

  /** The job id every command here takes. */
  abstract static class OnJob extends ApiCommand {
    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job's id.")
    String jobId;
  }

  /** A command that changes or reads the job and prints it as it is after. */
  abstract static class JobAction extends OnJob {
    abstract JobView apply(JobclusterClient client, String id);

    @Override
    int call(JobclusterClient client, Output output) {
      JobViews.print(output, apply(client, jobId));
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a job: status, attempts, payload, result, error.")
  static final class Get extends JobAction {
    @Override
    JobView apply(JobclusterClient client, String id) {
      return client.get(id);
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a job that has not ended (a finished one: exit 5).")
  static final class Cancel extends JobAction {
    @Override
    JobView apply(JobclusterClient client, String id) {
      return client.cancel(id);
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true, description = "Redrive a FAILED job (dead letter) to PENDING (any other status: exit 5).")
  static final class Retry extends JobAction {
    @Override
    JobView apply(JobclusterClient client, String id) {
      return client.retry(id);
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a finished job (one that has not ended: exit 5).")
  static final class Delete extends OnJob {
    @Override
    int call(JobclusterClient client, Output output) {
      client.delete(jobId);
      output.print(new Deleted(jobId, true), () -> output.println("Deleted " + jobId));
      return ExitCodes.OK;
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "Every transition of a job, oldest first.")
  static final class History extends OnJob {
    @Override
    int call(JobclusterClient client, Output output) {
      List<JobTransition> history = client.history(jobId);
      output.print(new Items<>(history), () -> output.printTable(List.of("AT", "FROM", "TO", "ATTEMPT", "WORKER", "NODE", "DETAIL"), history.stream()
          .map(step -> Arrays.asList(step.at().toString(), step.from() == null ? null : step.from().name(), step.to().name(),
              Integer.toString(step.attempt()), step.workerId(), step.node(), step.detail()))
          .toList()));
      return ExitCodes.OK;
    }

  }
}
