package io.jobcluster.bench;

import java.nio.file.Path;
import java.util.function.Function;

/** The shape of a child JVM's main: read a task from the first file, run it, write its result to the second. */
public final class ChildMain {
  private ChildMain() {}

  public static <T> void run(String[] args, Class<T> taskType, Function<T, Object> runner) {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: <task.json> <result.json>");
    }
    T task = BenchJson.read(Path.of(args[0]), taskType);
    BenchJson.write(Path.of(args[1]), runner.apply(task));
    // HTTP clients, servers and pools must not keep the JVM up once the result is written.
    System.exit(0);
  }
}
