package io.jobcluster.bench.run;

import io.jobcluster.bench.BenchJson;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task in a JVM of its own (the load generator, db-scheduler) with the bench's classpath:
 * the task goes in as a JSON file, the result comes back as one; the JVM's output goes to a log
 * file next to them.
 */
public final class ChildJvm {
  /** The classpath file the build writes (target/bench-classpath.txt), and the bench's own classes. */
  public static final String CLASSPATH_FILE_PROPERTY = "jobcluster.bench.classpath.file";
  public static final String CLASSES_PROPERTY = "jobcluster.bench.classes";

  private final Path directory;
  private int runs;

  public ChildJvm(Path directory) {
    this.directory = directory;
  }

  /** Runs {@code main} with {@code task}; fails with the log's tail when it exits other than 0 or runs past {@code timeout}. */
  public <R> R run(String name, Class<?> main, List<String> jvmOptions, Object task, Class<R> resultType, Duration timeout) {
    String stem = String.format("%03d-%s", ++runs, name);
    Path taskFile = directory.resolve(stem + "-task.json");
    Path resultFile = directory.resolve(stem + "-result.json");
    Path log = directory.resolve(stem + ".log");
    BenchJson.write(taskFile, task);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath(), main.getName(), taskFile.toString(), resultFile.toString()));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(name + " still running after " + timeout + "; log " + log + ":\n" + tail(log));
        }
      } finally {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
      if (process.exitValue() != 0 || !Files.exists(resultFile)) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log " + log + ":\n" + tail(log));
      }
      return BenchJson.read(resultFile, resultType);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + name + " ran", e);
    }
  }

  /** The bench's runtime classpath: its classes and the build's list of jars, else this JVM's own classpath. */
  static String classpath() {
    String file = System.getProperty(CLASSPATH_FILE_PROPERTY);
    if (file == null) {
      return System.getProperty("java.class.path");
    }
    try {
      String jars = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
      String classes = System.getProperty(CLASSES_PROPERTY);
      return classes == null ? jars : classes + File.pathSeparator + jars;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bench classpath from " + file + " (built by mvn package)", e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
