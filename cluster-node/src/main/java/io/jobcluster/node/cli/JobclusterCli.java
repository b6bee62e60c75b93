package io.jobcluster.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code jobcluster}: the command-line tool (docs/CLI.md). Each subcommand is one call or a few calls of
 * the HTTP API through the Java client; {@code node} starts a node instead. Launched by
 * {@code deploy/bin/jobcluster} from the node jar.
 */
@Command(name = "jobcluster", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
    description = "Submit, follow and manage Jobcluster jobs; start a node.",
    subcommands = {
        NodeCommand.class,
        SubmitCommand.class,
        JobCommands.Get.class,
        ListCommand.class,
        JobCommands.Cancel.class,
        JobCommands.Retry.class,
        JobCommands.Delete.class,
        JobCommands.History.class,
        SchedulesCommand.class,
        WatchCommand.class,
        ClusterCommands.Queues.class,
        ClusterCommands.Workers.class,
        ClusterCommands.Stats.class,
        KeysCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Settings: flag, then environment, then configuration file, then default (docs/CLI.md).",
        "Exit codes: 0 ok, 1 error, 2 usage or bad input, 3 not found, 4 no key or key refused, 5 conflict,",
        "6 job ended not COMPLETED, 7 server unreachable, 8 server busy (429/503), 9 batch partly refused."})
public final class JobclusterCli implements Runnable {
  @Mixin
  GlobalOptions global;

  @Spec
  CommandSpec spec;

  final CliEnvironment environment;

  JobclusterCli(CliEnvironment environment) {
    this.environment = environment;
  }

  public static void main(String[] args) {
    System.exit(commandLine(CliEnvironment.ofProcess()).execute(args));
  }

  /** The tool's command line in {@code environment}; set its out and err writers to capture what it prints. */
  public static CommandLine commandLine(CliEnvironment environment) {
    return new CommandLine(new JobclusterCli(environment))
        .setExecutionExceptionHandler(JobclusterCli::failed)
        .setParameterExceptionHandler(JobclusterCli::misused)
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand (jobcluster help lists them)");
  }

  /** Prints what failed in one line (never the key: neither the client nor the settings put it in messages). */
  private static int failed(Exception failure, CommandLine command, ParseResult parsed) {
    CommandLine.Help.ColorScheme colors = command.getColorScheme();
    command.getErr().println(colors.errorText("jobcluster: " + describe(failure)));
    command.getErr().flush();
    return ExitCodes.forFailure(failure);
  }

  /** Bad usage: what is wrong and where help is, without the whole usage text. */
  private static int misused(CommandLine.ParameterException failure, String[] args) {
    CommandLine command = failure.getCommandLine();
    command.getErr().println(command.getColorScheme().errorText("jobcluster: " + failure.getMessage()));
    CommandLine.UnmatchedArgumentException.printSuggestions(failure, command.getErr());
    command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
    command.getErr().flush();
    return ExitCodes.USAGE;
  }

  private static String describe(Exception failure) {
    if (failure instanceof java.io.UncheckedIOException && ExitCodes.forFailure(failure) == ExitCodes.UNREACHABLE) {
      return "cannot reach the server: " + failure.getMessage();
    }
    return failure.getMessage() == null ? failure.toString() : failure.getMessage();
  }
}
