package io.jobcluster.node.cli;

import io.jobcluster.protocol.client.JobclusterClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand that calls the API: resolves the settings and the output, then {@link #call(JobclusterClient, Output)}. */
abstract class ApiCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** Does the command's work; answers the exit code. */
  abstract int call(JobclusterClient client, Output output) throws Exception;

  @Override
  public Integer call() throws Exception {
    JobclusterCli root = root();
    CliSettings settings = CliSettings.resolve(root.global, root.environment);
    return call(settings.client(), output());
  }

  Output output() {
    return new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), root().global.json);
  }

  CliEnvironment environment() {
    return root().environment;
  }

  private JobclusterCli root() {
    return (JobclusterCli) spec.root().userObject();
  }
}
