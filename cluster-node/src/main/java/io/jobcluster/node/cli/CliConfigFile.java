package io.jobcluster.node.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Properties;
import java.util.Set;

/**
 * The tool's configuration file, a Java properties file ({@code url}, {@code api-key-file}, ...):
 * {@code --config FILE}, else {@code $JOBCLUSTER_CLI_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/jobcluster/cli.properties} (by default {@code ~/.config/...}) when it exists.
 * A file named explicitly must exist; the default one may be absent.
 */
final class CliConfigFile {
  static final String KEY_ENTRY = "api-key";

  private CliConfigFile() {}

  /** The file's settings; empty when no file applies. */
  static Properties load(String flag, CliEnvironment environment) {
    Path file = location(flag, environment);
    Properties properties = new Properties();
    boolean named = flag != null || environment.get(CliSettings.ENV_CONFIG) != null;
    if (!named && !Files.isRegularFile(file)) {
      return properties;
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the configuration file " + file + ": " + e, e);
    }
    if (properties.getProperty(KEY_ENTRY) != null && readableByOthers(file)) {
      throw new IllegalArgumentException("the configuration file " + file + " holds an api-key and others may read it: "
          + "chmod 600 it, or use api-key-file");
    }
    return properties;
  }

  /** Where the file is looked for, for messages. */
  static String describe(String flag, CliEnvironment environment) {
    return location(flag, environment).toString();
  }

  static Path location(String flag, CliEnvironment environment) {
    if (flag != null) {
      return Path.of(flag);
    }
    String fromEnv = environment.get(CliSettings.ENV_CONFIG);
    if (fromEnv != null) {
      return Path.of(fromEnv);
    }
    String xdg = environment.get("XDG_CONFIG_HOME");
    Path base = xdg != null ? Path.of(xdg) : environment.home().resolve(".config");
    return base.resolve("jobcluster").resolve("cli.properties");
  }

  private static boolean readableByOthers(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      return permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ);
    } catch (UnsupportedOperationException | IOException e) {
      return false;
    }
  }
}
