package io.jobcluster.node.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the command-line tool takes from its process, passed in so that tests give their own.
 *
 * @param env the environment variables ({@code JOBCLUSTER_URL}, ...)
 * @param home the user's home directory, for the default configuration file
 * @param terminal whether standard output is a terminal (live progress lines are redrawn in place)
 * @param stdin where {@code submit --file -} reads from
 */
public record CliEnvironment(Map<String, String> env, Path home, boolean terminal, InputStream stdin) {
  public CliEnvironment {
    env = Map.copyOf(env);
  }

  /** This process's: its environment, {@code user.home}, and a terminal when the JVM has a console. */
  public static CliEnvironment ofProcess() {
    return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), System.console() != null, System.in);
  }

  /** The variable's value; null when unset or blank. */
  String get(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
