package io.jobcluster.node.cli;

import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.client.ListQuery;
import io.jobcluster.protocol.wire.JobPage;
import io.jobcluster.protocol.wire.JobSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jobcluster list}: jobs newest first, filtered, one page or ({@code --all}) every page. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List jobs newest first (from the read model, about a second behind the jobs).",
        "One page of --limit jobs; the next page's cursor goes to standard error. --all follows every cursor."})
final class ListCommand extends ApiCommand {
  @Option(names = {"-s", "--status"}, description = "Only jobs in this status: ${COMPLETION-CANDIDATES}.")
  JobStatus status;

  @Option(names = {"-q", "--queue"}, description = "Only jobs of this queue.")
  String queue;

  @Option(names = {"-t", "--type"}, description = "Only jobs of this type.")
  String type;

  @Option(names = {"-n", "--limit"}, description = "Jobs per page, 1..1000 (the server's default: 50).")
  Integer limit;

  @Option(names = "--cursor", description = "Start at this page (a previous page's next cursor).")
  String cursor;

  @Option(names = {"-a", "--all"}, description = "Every page, not only the first.")
  boolean all;

  @Override
  int call(JobclusterClient client, Output output) {
    ListQuery query = new ListQuery(status, queue, type, limit, cursor);
    JobPage page = client.list(query);
    List<JobSummary> jobs = new ArrayList<>(page.items());
    while (all && page.hasMore()) {
      page = client.list(query.withCursor(page.nextCursor()));
      jobs.addAll(page.items());
    }
    String next = all ? null : page.nextCursor();
    if (output.json()) {
      output.printJson(new JobPage(jobs, next));
      return ExitCodes.OK;
    }
    output.printTable(List.of("ID", "QUEUE", "TYPE", "STATUS", "PRI", "ATTEMPTS", "CREATED", "FINISHED", "LAST ERROR"), jobs.stream()
        .map(job -> Arrays.asList(job.id(), job.queue(), job.type(), job.status().name(), Integer.toString(job.priority()),
            job.attempts() + "/" + job.maxAttempts(), Formats.time(job.createdAt()), Formats.time(job.finishedAt()), job.lastError()))
        .toList());
    if (next != null) {
      output.note("More: --cursor " + next + " (or --all)");
    }
    return ExitCodes.OK;
  }
}
