package io.jobcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobcluster.node.json.NodeJson;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the tool in the test's JVM through picocli's {@link CommandLine#execute}, with its own
 * environment and captured output, and checks that no secret it was given ever shows.
 */
final class CliRunner {
  private final Map<String, String> env = new HashMap<>();
  private final Path home;
  private String stdin = "";
  private boolean terminal;

  CliRunner(Path home) {
    this.home = home;
  }

  /** What one run answered. */
  record Result(int exit, String out, String err) {
    JsonNode json() {
      try {
        return NodeJson.mapper().readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
      }
    }

    List<String> lines() {
      return out.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  CliRunner env(String name, String value) {
    env.put(name, value);
    return this;
  }

  CliRunner withoutEnv(String name) {
    env.remove(name);
    return this;
  }

  CliRunner stdin(String text) {
    this.stdin = text;
    return this;
  }

  CliRunner terminal(boolean value) {
    this.terminal = value;
    return this;
  }

  Result run(String... args) {
    CliEnvironment environment = new CliEnvironment(env, home, terminal, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = JobclusterCli.commandLine(environment).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    Result result = new Result(exit, out.toString(), err.toString());
    String key = env.get(CliSettings.ENV_API_KEY);
    if (key != null) {
      assertFalse(result.out().contains(key) || result.err().contains(key), "the key showed: " + result);
    }
    return result;
  }
}
