package io.jobcluster.node.cli;

import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.wire.JobJson;
import java.util.LinkedHashMap;
import java.util.Map;

/** One job, printed as the API shows it ({@code --json}) or as a list of its fields. */
final class JobViews {
  private JobViews() {}

  static void print(Output output, JobView job) {
    if (output.json()) {
      output.printJson(JobJson.of(job));
    } else {
      printJob(output, job);
    }
  }

  static void printJob(Output output, JobView job) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", job.id());
    fields.put("queue", job.queue());
    fields.put("type", job.type());
    fields.put("status", job.status());
    fields.put("priority", job.priority());
    fields.put("attempts", job.attempts() + "/" + job.maxAttempts());
    fields.put("created", Formats.time(job.createdAt()));
    fields.put("updated", Formats.time(job.updatedAt()));
    fields.put("run at", Formats.time(job.runAt()));
    fields.put("started", Formats.time(job.startedAt()));
    fields.put("finished", Formats.time(job.finishedAt()));
    fields.put("worker", job.workerId());
    fields.put("lease until", Formats.time(job.leaseExpiresAt()));
    fields.put("tags", Formats.list(job.tags()));
    fields.put("payload", job.payload());
    fields.put("progress", job.progress());
    fields.put("result", job.result());
    fields.put("last error", job.lastError());
    output.printFields(fields);
  }
}
