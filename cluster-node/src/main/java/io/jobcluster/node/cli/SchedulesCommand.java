package io.jobcluster.node.cli;

import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.wire.Items;
import io.jobcluster.protocol.wire.ScheduleJson;
import io.jobcluster.protocol.wire.ScheduleRequest;
import io.jobcluster.protocol.wire.ScheduleRun;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jobcluster schedules create|list|get|pause|resume|delete}: recurring schedules of the key's tenant. */
@Command(name = "schedules", mixinStandardHelpOptions = true, description = "Create, list, show, pause, resume and delete recurring schedules.",
    subcommands = {SchedulesCommand.Create.class, SchedulesCommand.ListSchedules.class, SchedulesCommand.Get.class, SchedulesCommand.Pause.class,
        SchedulesCommand.Resume.class, SchedulesCommand.Delete.class})
final class SchedulesCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: create, list, get, pause, resume or delete");
  }

  /** What {@code schedules delete --json} prints: the API answers 204 without a body. */
  record Deleted(String id, boolean deleted) {}

  @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Create a schedule that submits a job at each fire time of --cron or every --every seconds.")
  static final class Create extends ApiCommand {
    @Option(names = "--id", description = "The schedule's id (default: a random one).")
    String id;

    @Option(names = "--cron", description = "5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), e.g. '0 9 * * 1-5'.")
    String cron;

    @Option(names = "--every", paramLabel = "SECONDS", description = "A fixed interval instead of --cron.")
    Long every;

    @Option(names = "--zone", description = "The IANA time zone of --cron (default UTC), e.g. Europe/Berlin.")
    String zone;

    @Option(names = {"-t", "--type"}, required = true, description = "The job type of each fire, e.g. noop, http.")
    String type;

    @Option(names = {"-q", "--queue"}, description = "The job's queue (default: default).")
    String queue;

    @Option(names = {"-p", "--payload"}, paramLabel = "JSON", description = "The job's payload, a JSON value.")
    String payload;

    @Option(names = "--misfire", description = "fire_once (default), fire_all or skip.")
    String misfire;

    @Option(names = "--overlap", description = "allow (default), skip or queue_one.")
    String overlap;

    @Option(names = "--paused", description = "Create it paused.")
    boolean paused;

    @Option(names = "--start-at", paramLabel = "ISO-8601", description = "No fire before.")
    Instant startAt;

    @Option(names = "--end-at", paramLabel = "ISO-8601", description = "No fire after.")
    Instant endAt;

    @Override
    int call(JobclusterClient client, Output output) {
      JobRequest job = JobRequest.of(type).withQueue(queue).withPayload(payload);
      ScheduleRequest request = new ScheduleRequest(id, cron, every, zone, job, misfire, overlap, paused ? Boolean.TRUE : null, startAt, endAt);
      ScheduleJson created = client.createSchedule(request);
      output.print(created, () -> show(output, created));
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The tenant's schedules.")
  static final class ListSchedules extends ApiCommand {
    @Override
    int call(JobclusterClient client, Output output) {
      List<ScheduleJson> schedules = client.schedules();
      if (output.json()) {
        output.printJson(new Items<>(schedules));
        return ExitCodes.OK;
      }
      output.printTable(List.of("ID", "WHEN", "ZONE", "JOB TYPE", "PAUSED", "NEXT FIRE"), schedules.stream()
          .map(schedule -> Arrays.asList(schedule.id(), when(schedule), schedule.timeZone(), schedule.job().type(), Boolean.toString(schedule.paused()),
              schedule.nextFireTimes().isEmpty() ? null : Formats.time(schedule.nextFireTimes().get(0))))
          .toList());
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "A schedule with its next fire times and last runs.")
  static final class Get extends OneSchedule {
    @Override
    ScheduleJson apply(JobclusterClient client) {
      return client.schedule(id);
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a schedule: no fire until resumed.")
  static final class Pause extends OneSchedule {
    @Override
    ScheduleJson apply(JobclusterClient client) {
      return client.pauseSchedule(id);
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a schedule; fire times that passed while paused are not fired.")
  static final class Resume extends OneSchedule {
    @Override
    ScheduleJson apply(JobclusterClient client) {
      return client.resumeSchedule(id);
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a schedule; the jobs it submitted stay.")
  static final class Delete extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The schedule's id.")
    String id;

    @Override
    int call(JobclusterClient client, Output output) {
      client.deleteSchedule(id);
      output.print(new Deleted(id, true), () -> output.println("Deleted schedule " + id));
      return ExitCodes.OK;
    }
  }

  /** A subcommand about one schedule that answers with it. */
  abstract static class OneSchedule extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The schedule's id.")
    String id;

    abstract ScheduleJson apply(JobclusterClient client);

    @Override
    int call(JobclusterClient client, Output output) {
      ScheduleJson schedule = apply(client);
      output.print(schedule, () -> show(output, schedule));
      return ExitCodes.OK;
    }
  }

  private static String when(ScheduleJson schedule) {
    return schedule.cron() != null ? "cron " + schedule.cron() : "every " + schedule.intervalSeconds() + "s";
  }

  private static void show(Output output, ScheduleJson schedule) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", schedule.id());
    fields.put("when", when(schedule));
    fields.put("zone", schedule.timeZone());
    fields.put("job type", schedule.job().type());
    fields.put("misfire", schedule.misfire());
    fields.put("overlap", schedule.overlap());
    fields.put("paused", schedule.paused());
    fields.put("next fires", Formats.list(schedule.nextFireTimes().stream().map(Formats::time).toList()));
    fields.put("last runs", Formats.list(schedule.lastRuns().stream().map(SchedulesCommand::run).toList()));
    output.printFields(fields);
  }

  private static String run(ScheduleRun run) {
    return Formats.time(run.fireTime()) + " " + run.jobId() + " " + (run.status() != null ? run.status() : run.error() != null ? "refused" : "-");
  }
}
